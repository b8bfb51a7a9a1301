package rules

import (
	"strings"

	"github.com/authlint/authlint/internal/apachemodel"
	"github.com/authlint/authlint/parser/ast"
)

// apache-satisfy-any-bypass (catalog X17): under `Satisfy Any`
// (mod_access_compat) httpd skips authentication when the host check
// passes, and it passes for every client with `Allow from all`, with no
// Order/Allow/Deny at all (the default lists are empty), or when the last
// section with a mod_access_compat directive has only `Satisfy` (the
// module does not merge, so the lists reset).
func init() {
	Register(&Rule{
		ID:       "apache-satisfy-any-bypass",
		Summary:  "`Satisfy Any` with a host check that every client passes turns auth off",
		Severity: Error,
		Servers:  []ast.Kind{ast.KindApache, ast.KindHtaccess},
		Doc:      doc("apache-satisfy-any-bypass"),
		Run:      runApacheSatisfyAnyBypass,
	})
}

func runApacheSatisfyAnyBypass(p *Pass) {
	m := apacheModel(p)
	if m == nil {
		return
	}
	guardApache(p, m, func() {
		once := reportOnce{}
		eachApacheScope(m, methodsFor(p.Configs), func(s *apachemodel.Server, url string, sc *apachemodel.Scope, d *apachemodel.Decision) {
			sat := d.SatisfyAny
			if sat == nil || !once.first(sat.Pos) {
				return
			}
			p.Report(Finding{
				Pos: sat.Pos, End: sat.End,
				Message: apacheText(sat) + " lets every client skip " + apacheText(d.Require()) + " " + where(d.Set) + ": " +
					hostCheckWhy(sc) + ", so " + sc.Method + " " + url + " on " + s.Label() + " is served without credentials (" +
					sc.ChainString() + ")",
				Hint: "delete `Satisfy Any` (and the Order/Allow/Deny lines); to let a network in without a password use " +
					"`<RequireAny> Require ip 192.168.1.0/24 \\n Require valid-user </RequireAny>`",
				Related: []Related{{Pos: d.Require().Pos, Message: "the Require that is skipped"}},
			})
		})
	})
}

// hostCheckWhy says why mod_access_compat's host check passes: the last
// section with one of its directives holds the lists in effect.
func hostCheckWhy(sc *apachemodel.Scope) string {
	var last *apachemodel.Section
	allow, lists := false, false
	for _, sec := range sc.Chain {
		has, all, ls := false, false, false
		for _, n := range sec.Body {
			if n.Block {
				continue
			}
			if n.Is("Order") || n.Is("Allow") || n.Is("Deny") || n.Is("Satisfy") {
				has = true
			}
			ls = ls || n.Is("Allow") || n.Is("Deny")
			all = all || n.Is("Allow") && strings.EqualFold(n.Arg(1), "all")
		}
		if has {
			last, allow, lists = sec, all, ls
		}
	}
	switch {
	case allow:
		return "`Allow from all` " + where(last) + " passes the host check for everyone"
	case len(sc.All("Order"))+len(sc.All("Allow"))+len(sc.All("Deny")) == 0:
		return "no Order/Allow/Deny is in effect, and empty lists pass the host check"
	case !lists:
		return "the Allow/Deny lists " + where(last) + " are empty (mod_access_compat does not inherit them), " +
			"which passes the host check"
	}
	return "no `Deny from all` " + where(last) + " stops the clients its Deny lines do not name, so they pass the host check"
}
