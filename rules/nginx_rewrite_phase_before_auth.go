package rules

import (
	"strings"

	"github.com/authlint/authlint/internal/nginxmodel"
	"github.com/authlint/authlint/parser/ast"
)

// nginx-rewrite-phase-before-auth (catalog X4): `return` and redirecting
// `rewrite` run in the rewrite phases, before the access phase, so the
// auth configured for the same request never runs.
func init() {
	Register(&Rule{
		ID:       "nginx-rewrite-phase-before-auth",
		Summary:  "a return or rewrite ends the request before auth is checked",
		Severity: Warning,
		Servers:  []ast.Kind{ast.KindNginx},
		Doc:      doc("nginx-rewrite-phase-before-auth"),
		Run:      runRewriteBeforeAuth,
	})
}

func runRewriteBeforeAuth(p *Pass) {
	for _, s := range nginxServers(p) {
		if r := s.ServerReturn(); r != nil && serverConfiguresAuth(s) {
			reportRewrite(p, r, "server level", s.ScopeFor(nil), "every request to "+serverLabel(s))
		}
		for _, l := range s.AllLocations() {
			sc := s.ScopeFor(l)
			if !sc.AuthFor("GET").Required {
				continue
			}
			if d := s.LocationReturn(sc, "GET"); d != nil {
				reportRewrite(p, d, "location level", sc, "every request to "+l.Label())
			} else if rw, target := s.LocationRewrite(sc, "GET"); rw != nil {
				reportRewriteLast(p, s, l, sc, rw, target)
			}
		}
	}
}

// serverConfiguresAuth reports auth written in the server block itself or
// its locations (auth inherited from http alone does not make a redirect
// server's return a mistake).
func serverConfiguresAuth(s *nginxmodel.Server) bool {
	found := false
	ast.Walk(s.Top, func(n *ast.Node) bool {
		if (n.Is("auth_basic") || n.Is("auth_request") || n.Is("auth_jwt")) && !isAuthOff(n) {
			found = true
		}
		return !found
	})
	return found
}

func reportRewrite(p *Pass, d *ast.Node, where string, sc *nginxmodel.Scope, who string) {
	if d.Is("return") && isErrorReturn(d) {
		return // 4xx/5xx (and 444) serve nothing: denying before auth leaks nothing
	}
	a := sc.AuthFor("GET")
	authText := "the auth configured here"
	var rel []Related
	if a.By != nil {
		authText = directiveText(a.By)
		rel = append(rel, related(a.By, "never evaluated for these requests"))
	}
	f := Finding{
		Pos: d.Pos, End: d.End,
		Message: directiveText(d) + " at " + where + " runs in the rewrite phase, before the access phase: " + who +
			" is answered without " + authText + " being checked",
		Hint:    "move the logic into the content phase (proxy_pass, a static file, try_files), or gate it in an `internal` location",
		Related: rel,
	}
	code := d.Arg(0)
	switch {
	case d.Is("return") && strings.HasPrefix(code, "2") && len(d.Args) > 1:
		f.Severity = Error
		f.Message += "; it answers " + code + " with content, so that content is public"
	case isRedirect(d):
		f.Severity = Info
		f.Message += "; it is a redirect, which only reveals its target"
	}
	p.Report(f)
}

func isRedirect(d *ast.Node) bool {
	if d.Is("rewrite") {
		return true
	}
	switch d.Arg(0) {
	case "301", "302", "303", "307", "308":
		return true
	}
	return strings.HasPrefix(d.Arg(0), "http://") || strings.HasPrefix(d.Arg(0), "https://")
}

// reportRewriteLast is catalog X4(c): a match-all `rewrite ... last` in a
// protected location sends every request to another URI before the access
// phase; nginx then runs the access phase of the location that URI
// selects, so the auth here is never checked. Reported when that location
// serves the request without auth.
func reportRewriteLast(p *Pass, s *nginxmodel.Server, l *nginxmodel.Location, sc *nginxmodel.Scope, rw *ast.Node, target string) {
	steps := s.Request("GET", target)
	fin := &steps[len(steps)-1]
	for i := range steps {
		if steps[i].NeedsAuth() {
			return
		}
	}
	if fin.Rewrite != nil || fin.Return != nil && isErrorReturn(fin.Return) {
		return
	}
	a := sc.AuthFor("GET")
	f := Finding{
		Pos: rw.Pos, End: rw.End,
		Message: directiveText(rw) + " at location level runs in the rewrite phase, before the access phase: every request to " +
			l.Label() + " is sent to " + target + ", which " + locationLabel(steps[0].Location) + " serves without auth, so " +
			directiveText(a.By) + " is never checked",
		Hint: "protect the target location too, or rewrite with `break` so the request stays in this location",
	}
	if a.By != nil {
		f.Related = append(f.Related, related(a.By, "never evaluated for these requests"))
	}
	p.Report(f)
}
