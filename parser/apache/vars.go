package apache

import (
	"strings"

	"github.com/authlint/authlint/parser/ast"
)

// vars holds the values of `Define NAME value`, in effect from the line
// after the Define on, as httpd reads them.
type vars map[string]string

// substitute replaces ${NAME} with its Define'd value, like ap_resolve_env.
// An unknown name stays as written: Apache only warns (AH00111) and keeps
// the text. Environment variables are not consulted, so that a lint run
// does not depend on the shell it runs in.
func (v vars) substitute(s string) string {
	if !strings.Contains(s, "${") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i+2:], '}')
		if j < 0 {
			break
		}
		name := s[i+2 : i+2+j]
		b.WriteString(s[:i])
		if val, ok := v[name]; ok {
			b.WriteString(val)
		} else {
			b.WriteString(s[i : i+3+j])
		}
		s = s[i+3+j:]
	}
	b.WriteString(s)
	return b.String()
}

// apply substitutes the node's name and arguments. httpd substitutes the
// whole line before splitting it into words, so an unquoted ${X} whose value
// holds blanks becomes several arguments; they all keep the position of the
// ${X} they came from.
func (v vars) apply(n *ast.Node) {
	if len(v) == 0 {
		return
	}
	n.Name = v.substitute(n.Name)
	var out []ast.Arg
	changed := false
	for _, a := range n.Args {
		val := v.substitute(a.Value)
		if val == a.Value {
			out = append(out, a)
			continue
		}
		changed = true
		if a.Quote != 0 {
			a.Value = val
			out = append(out, a)
			continue
		}
		for _, f := range strings.FieldsFunc(val, func(r rune) bool { return strings.ContainsRune(" \t\n\v\f\r", r) }) {
			out = append(out, ast.Arg{Value: f, Pos: a.Pos})
		}
	}
	if changed {
		n.Args = out
	}
}
