package apachemodel

import (
	"slices"
	"strings"

	"github.com/authlint/authlint/parser/ast"
)

// conds is what decides conditional sections for one config: the names it
// Defines and the modules it loads.
type conds struct {
	defs map[string]bool
	mods map[string]bool
	// modsKnown: the config loads modules itself (LoadModule), so
	// <IfModule> can be decided; a snippet without LoadModule takes every
	// <IfModule> as true.
	modsKnown bool
}

// builtinModules are compiled into Debian's and most distributions'
// httpd: always loaded.
var builtinModules = []string{"core", "http_core", "so", "watchdog", "log_config", "logio", "version", "unixd"}

// newConds reads LoadModule and the Defines reached through taken
// conditionals, in file order. Names given with -D on the command line
// (Debian's envvars) are unknown and count as undefined.
func newConds(c *ast.Config) *conds {
	k := &conds{defs: map[string]bool{}, mods: map[string]bool{}}
	for _, m := range builtinModules {
		k.mods[m] = true
	}
	ast.Walk(c.Nodes, func(n *ast.Node) bool {
		if n.Is("LoadModule") && len(n.Args) > 0 {
			k.mods[moduleName(n.Args[0].Value)] = true
			k.modsKnown = true
		}
		return true
	})
	var walk func(nodes []*ast.Node)
	walk = func(nodes []*ast.Node) {
		for _, n := range nodes {
			switch {
			case isConditional(n):
				if k.taken(n) {
					walk(n.Children)
				}
			case n.Is("Define") && len(n.Args) > 0:
				k.defs[n.Args[0].Value] = true
			case n.Is("UnDefine") && len(n.Args) > 0:
				delete(k.defs, n.Args[0].Value)
			case n.Block:
				walk(n.Children)
			}
		}
	}
	walk(c.Nodes)
	return k
}

// moduleName reduces "mod_cgid.c", "cgid_module" and "mod_cgid.so" to
// "cgid".
func moduleName(s string) string {
	s = strings.ToLower(strings.TrimPrefix(s, "!"))
	s = strings.TrimSuffix(strings.TrimSuffix(s, ".c"), ".so")
	s = strings.TrimPrefix(s, "mod_")
	return strings.TrimSuffix(s, "_module")
}

// taken reports whether httpd reads the body of a conditional section:
// <IfModule> by the LoadModule lines (all taken when the config has none),
// <IfDefine> by the Defines, <IfVersion>, <IfFile>, <IfDirective> and
// <IfSection> are taken. A nil conds takes every positive condition.
func (k *conds) taken(n *ast.Node) bool {
	arg := n.Arg(0)
	neg := strings.HasPrefix(arg, "!")
	switch {
	case n.Is("IfModule"):
		if k == nil || !k.modsKnown {
			return !neg
		}
		return k.mods[moduleName(arg)] != neg
	case n.Is("IfDefine"):
		if k == nil {
			return !neg
		}
		return k.defs[strings.TrimPrefix(arg, "!")] != neg
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
func flatten(nodes []*ast.Node, k *conds) []*ast.Node {
	var out []*ast.Node
	for _, n := range nodes {
		if isConditional(n) {
			if k.taken(n) {
				out = append(out, flatten(n.Children, k)...)
			}
			continue
		}
		out = append(out, n)
	}
	return out
}
