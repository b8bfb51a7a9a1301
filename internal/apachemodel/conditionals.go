package apachemodel

import (
	"slices"
	"strings"

	"github.com/authlint/authlint/parser/ast"
)

// defines returns the names a config Defines. Names given with -D on the
// command line (Debian's envvars, ENABLE_USR_LIB_CGI_BIN) are unknown and
// count as undefined.
func defines(c *ast.Config) map[string]bool {
	out := map[string]bool{}
	ast.Walk(c.Nodes, func(n *ast.Node) bool {
		if n.Is("Define") && len(n.Args) > 0 {
			out[n.Args[0].Value] = true
		}
		return true
	})
	return out
}

// taken reports whether httpd reads the body of a conditional section:
// <IfModule> is assumed loaded (its negation not), <IfDefine> follows the
// Defines, <IfVersion>, <IfFile>, <IfDirective> and <IfSection> are taken.
func taken(n *ast.Node, defs map[string]bool) bool {
	arg := n.Arg(0)
	neg := strings.HasPrefix(arg, "!")
	switch {
	case n.Is("IfModule"):
		return !neg
	case n.Is("IfDefine"):
		return defs[strings.TrimPrefix(arg, "!")] != neg
	}
	return true
}

// isConditional reports the sections flatten resolves.
func isConditional(n *ast.Node) bool {
	if !n.Block {
		return false
	}
	return slices.ContainsFunc([]string{"IfModule", "IfDefine", "IfVersion", "IfFile", "IfDirective", "IfSection"}, n.Is)
}

// flatten replaces conditional sections by their bodies when taken (and
// drops them when not), recursively at this level; nested sections keep
// their children as written (flatten them when reading them).
func flatten(nodes []*ast.Node, defs map[string]bool) []*ast.Node {
	var out []*ast.Node
	for _, n := range nodes {
		if isConditional(n) {
			if taken(n, defs) {
				out = append(out, flatten(n.Children, defs)...)
			}
			continue
		}
		out = append(out, n)
	}
	return out
}
