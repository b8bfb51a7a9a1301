package rules

import (
	"slices"
	"strings"

	"github.com/authlint/authlint/internal/apachemodel"
	"github.com/authlint/authlint/parser/ast"
)

// eachApacheScope calls fn for every server, sample URL and method of the
// model, with the merged scope and its authz decision. Scopes that a
// server-level redirect answers or an .htaccess fails with 500 are left
// out: their auth never runs.
func eachApacheScope(m *apachemodel.Model, methods []string, fn func(s *apachemodel.Server, url string, sc *apachemodel.Scope, d *apachemodel.Decision)) {
	for _, s := range m.Servers {
		for _, url := range s.SampleURLs() {
			for _, method := range methods {
				sc := s.Merge(url, method)
				if sc.Target.PreAuth != nil || sc.Fatal != nil {
					continue
				}
				fn(s, url, sc, s.Decide(sc))
			}
		}
	}
}

// reportOnce keeps the first finding per position: the same line is
// reached through many URLs and methods.
type reportOnce map[ast.Pos]bool

func (r reportOnce) first(pos ast.Pos) bool {
	if r[pos] {
		return false
	}
	r[pos] = true
	return true
}

// grantKind says how much a Require line that needs no user admits:
// "all" for every client (all granted, ip 0.0.0.0/0, expr true), "env"
// for clients a variable marks, "narrow" for some addresses or hosts, ""
// for none (denials, negations, user providers).
func grantKind(n *ast.Node) string {
	args := n.Values()
	if len(args) == 0 || apachemodel.NeedsUserProvider(n) || strings.EqualFold(args[0], "not") {
		return ""
	}
	switch p := strings.ToLower(args[0]); p {
	case "all":
		if len(args) > 1 && strings.EqualFold(args[1], "granted") {
			return "all"
		}
		return ""
	case "ip":
		// 0.0.0.0/0 and ::/0 are refused by httpd ("network mask is
		// invalid", checked on 2.4): a startup error or a 500, not a grant.
		if slices.Contains(args[1:], "0.0.0.0/0.0.0.0") {
			return "all"
		}
		return "narrow"
	case "expr":
		e := strings.ToLower(strings.Trim(strings.Join(args[1:], " "), "\"' "))
		if e == "true" {
			return "all"
		}
		return "narrow"
	case "env":
		return "env"
	case "host", "forward-dns", "local", "method":
		return "narrow"
	}
	return ""
}

// inLimit returns the <Limit>/<LimitExcept> a node sits in, or nil.
func inLimit(n *ast.Node) *ast.Node {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Block && (p.Is("Limit") || p.Is("LimitExcept")) {
			return p
		}
	}
	return nil
}

// firstGrant returns the first Require line of a section body (outside
// nested sections and method limits) that admits clients without a user.
func firstGrant(body []*ast.Node) *ast.Node {
	var out *ast.Node
	walkRequires(body, func(n *ast.Node) {
		if out == nil && grantKind(n) != "" && inLimit(n) == nil {
			out = n
		}
	})
	return out
}

// walkRequires visits the Require lines of a section body, through
// Require containers, <Limit> and conditionals, but not nested sections.
func walkRequires(nodes []*ast.Node, fn func(*ast.Node)) {
	for _, n := range nodes {
		switch {
		case !n.Block && n.Is("Require"):
			fn(n)
		case n.Block && isNestedSection(n):
		case n.Block:
			walkRequires(n.Children, fn)
		}
	}
}

func isNestedSection(n *ast.Node) bool {
	return slices.ContainsFunc(nestedKinds, n.Is)
}

var nestedKinds = []string{"Directory", "DirectoryMatch", "Files", "FilesMatch", "Location", "LocationMatch", "If", "ElseIf", "Else", "VirtualHost"}

// worstPerPos keeps, per position, the most severe finding seen: the same
// line is judged once per URL, and the worst case is the one to fix.
type worstPerPos struct {
	order []ast.Pos
	by    map[ast.Pos]Finding
}

func (w *worstPerPos) add(f Finding) {
	if w.by == nil {
		w.by = map[ast.Pos]Finding{}
	}
	old, ok := w.by[f.Pos]
	if !ok {
		w.order = append(w.order, f.Pos)
	}
	if !ok || f.Severity > old.Severity {
		w.by[f.Pos] = f
	}
}

func (w *worstPerPos) report(p *Pass) {
	for _, pos := range w.order {
		p.Report(w.by[pos])
	}
}

// methodsFor returns the methods worth trying on a run's configs: all of
// probeMethods when some authz depends on the method (<Limit>,
// <LimitExcept>, `Require method`, an <If> on REQUEST_METHOD), else GET
// alone, since every method then merges alike.
func methodsFor(configs []*ast.Config) []string {
	if methodDependent(configs) {
		return probeMethods
	}
	return []string{"GET"}
}

func methodDependent(configs []*ast.Config) bool {
	found := false
	for _, c := range configs {
		if c.Kind != ast.KindApache && c.Kind != ast.KindHtaccess {
			continue
		}
		ast.Walk(c.Nodes, func(n *ast.Node) bool {
			switch {
			case n.Block && (n.Is("Limit") || n.Is("LimitExcept")):
				found = true
			case n.Is("Require") && strings.EqualFold(n.Arg(0), "method"):
				found = true
			case n.Block && (n.Is("If") || n.Is("ElseIf")) && strings.Contains(strings.ToUpper(n.Arg(0)), "REQUEST_METHOD"):
				found = true
			}
			return !found
		})
	}
	return found
}
