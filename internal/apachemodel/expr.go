package apachemodel

import (
	"regexp"
	"strings"
)

// methodExpr matches the ap_expr conditions on the request method that
// the model evaluates: %{REQUEST_METHOD} == 'X', != 'X', in/-in {...},
// =~ /re/, !~ /re/.
var methodExpr = regexp.MustCompile(`^\s*%\{REQUEST_METHOD\}\s*(==|!=|=~|!~|-in|in)\s*(.+?)\s*$`)

// evalIf evaluates an <If> / Require expr condition for a method; any
// other condition is unknown (the section is not taken).
func evalIf(cond, method string) tri {
	cond = strings.TrimSpace(cond)
	if cond == "true" {
		return yes
	}
	if cond == "false" {
		return no
	}
	m := methodExpr.FindStringSubmatch(cond)
	if m == nil {
		return unknown
	}
	op, val := m[1], m[2]
	switch op {
	case "==", "!=":
		v, ok := exprString(val)
		if !ok {
			return unknown
		}
		return triOf((v == method) == (op == "=="))
	case "=~", "!~":
		if len(val) < 2 || val[0] != '/' || !strings.HasSuffix(val, "/") && !strings.HasSuffix(val, "/i") {
			return unknown
		}
		body := strings.TrimPrefix(val, "/")
		if b, ok := strings.CutSuffix(body, "/i"); ok {
			body = "(?i)" + b
		} else {
			body = strings.TrimSuffix(body, "/")
		}
		re, err := regexp.Compile(body)
		if err != nil {
			return unknown
		}
		return triOf(re.MatchString(method) == (op == "=~"))
	}
	if !strings.HasPrefix(val, "{") || !strings.HasSuffix(val, "}") {
		return unknown
	}
	for item := range strings.SplitSeq(strings.Trim(val, "{}"), ",") {
		v, ok := exprString(strings.TrimSpace(item))
		if !ok {
			return unknown
		}
		if v == method {
			return yes
		}
	}
	return no
}

// exprString reads a quoted ap_expr string.
func exprString(s string) (string, bool) {
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1], true
	}
	return "", false
}
