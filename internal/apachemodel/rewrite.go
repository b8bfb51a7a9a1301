package apachemodel

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/authlint/authlint/parser/ast"
)

// rewriteRule is one RewriteRule with the RewriteConds written before it.
type rewriteRule struct {
	node  *ast.Node
	conds []*ast.Node
	flags map[string]string // lower-case flag name -> value
}

// rewriteRules returns the rules of one context when RewriteEngine is On
// there (mod_rewrite's per-server rules are not inherited by vhosts
// without RewriteOptions Inherit, which is not modeled).
func rewriteRules(nodes []*ast.Node) []rewriteRule {
	if e := last(nodes, "RewriteEngine"); e == nil || !strings.EqualFold(e.Arg(0), "on") {
		return nil
	}
	var out []rewriteRule
	var conds []*ast.Node
	for _, n := range nodes {
		switch {
		case n.Block:
		case n.Is("RewriteCond"):
			conds = append(conds, n)
		case n.Is("RewriteRule"):
			out = append(out, rewriteRule{node: n, conds: conds, flags: parseFlags(n.Arg(2))})
			conds = nil
		}
	}
	return out
}

// parseFlags reads "[R=301,L,E=X:y]".
func parseFlags(s string) map[string]string {
	out := map[string]string{}
	s = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	for f := range strings.SplitSeq(s, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(f), "=")
		k = strings.ToLower(k)
		switch k {
		case "redirect":
			k = "r"
		case "forbidden":
			k = "f"
		case "gone":
			k = "g"
		case "proxy":
			k = "p"
		case "env":
			k = "e"
		}
		if k == "e" {
			if prev, ok := out[k]; ok {
				v = prev + "," + v
			}
		}
		out[k] = v
	}
	return out
}

// tri is a three-valued truth: a condition authlint cannot evaluate is
// unknown.
type tri int

const (
	unknown tri = iota
	yes
	no
)

func triOf(b bool) tri {
	if b {
		return yes
	}
	return no
}

// ends reports whether the rule answers the request itself: a redirect,
// [F] or [G].
func (r rewriteRule) ends() bool {
	_, red := r.flags["r"]
	_, f := r.flags["f"]
	_, g := r.flags["g"]
	return red || f || g
}

// passesAuth reports [E=HTTP_AUTHORIZATION:%{HTTP:Authorization}].
func (r rewriteRule) passesAuth() bool {
	e := strings.ToLower(r.flags["e"])
	return strings.Contains(e, "http_authorization:%{http:authorization}")
}

// matches evaluates the rule for a per-server URL.
func (r rewriteRule) matches(url, method string, ssl bool) tri {
	re, err := regexp.Compile(strings.TrimPrefix(r.node.Arg(0), "!"))
	if err != nil {
		return unknown
	}
	if re.MatchString(url) == strings.HasPrefix(r.node.Arg(0), "!") {
		return no
	}
	return condsHold(r.conds, method, ssl)
}

// condsHold evaluates RewriteConds (ANDed, [OR] joins with the next).
func condsHold(conds []*ast.Node, method string, ssl bool) tri {
	result := yes
	orGroup := unknown // value of the OR group being built, or unknown when none
	inOr := false
	for _, c := range conds {
		v := condValue(c, method, ssl)
		flags := strings.ToLower(c.Arg(2))
		isOr := strings.Contains(flags, "or")
		if inOr {
			v = orTri(orGroup, v)
		}
		if isOr {
			orGroup, inOr = v, true
			continue
		}
		inOr = false
		result = andTri(result, v)
	}
	if inOr {
		result = andTri(result, orGroup)
	}
	return result
}

func andTri(a, b tri) tri {
	switch {
	case a == no || b == no:
		return no
	case a == yes && b == yes:
		return yes
	}
	return unknown
}

func orTri(a, b tri) tri {
	switch {
	case a == yes || b == yes:
		return yes
	case a == no && b == no:
		return no
	}
	return unknown
}

// condValue evaluates one RewriteCond on the request method and HTTPS;
// any other test string is unknown.
func condValue(c *ast.Node, method string, ssl bool) tri {
	var val string
	switch strings.ToUpper(c.Arg(0)) {
	case "%{REQUEST_METHOD}":
		val = method
	case "%{HTTPS}":
		val = "off"
		if ssl {
			val = "on"
		}
	default:
		return unknown
	}
	nc := strings.Contains(strings.ToLower(c.Arg(2)), "nc")
	return matchPattern(c.Arg(1), val, nc)
}

// matchPattern applies a CondPattern: !negation, =string, <, >, or a
// regex.
func matchPattern(pat, val string, nc bool) tri {
	neg := strings.HasPrefix(pat, "!")
	pat = strings.TrimPrefix(pat, "!")
	var ok bool
	switch {
	case strings.HasPrefix(pat, "="):
		want := strings.Trim(strings.TrimPrefix(pat, "="), `"`)
		ok = val == want || nc && strings.EqualFold(val, want)
	default:
		if nc {
			pat = "(?i)" + pat
		}
		re, err := regexp.Compile(pat)
		if err != nil {
			return unknown
		}
		ok = re.MatchString(val)
	}
	return triOf(ok != neg)
}

// sslServer reports SSLEngine on at the server's own level.
func (s *Server) sslServer() bool {
	e := last(s.Top, "SSLEngine")
	return e != nil && strings.EqualFold(e.Arg(0), "on")
}

// rewrite runs the server's own per-server rules (translate_name): a
// redirect, [F] or [G] ends the request before auth; [P] proxies; [E=]
// passing Authorization is remembered.
func (s *Server) rewrite(t *Target, method string) {
	for _, r := range rewriteRules(s.Top) {
		if r.matches(t.URL, method, s.sslServer()) != yes {
			continue
		}
		if r.passesAuth() {
			t.PassAuth = r.node
		}
		switch {
		case r.ends():
			t.PreAuth = r.node
			return
		case hasFlag(r.flags, "p"):
			t.Proxy, t.ProxyTo = r.node, r.node.Arg(1)
			return
		}
		if hasFlag(r.flags, "l") || hasFlag(r.flags, "end") || r.node.Arg(1) != "-" {
			return
		}
	}
}

func hasFlag(f map[string]string, k string) bool { _, ok := f[k]; return ok }

// RedirectStatus returns the status of a redirect directive or rule when
// written, else 0.
func RedirectStatus(n *ast.Node) int {
	if n.Is("RewriteRule") {
		v := parseFlags(n.Arg(2))
		if r, ok := v["r"]; ok {
			if code, err := strconv.Atoi(r); err == nil {
				return code
			}
			return 302
		}
		return 0
	}
	if code, err := strconv.Atoi(n.Arg(0)); err == nil {
		return code
	}
	return 0
}
