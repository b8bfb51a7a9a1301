package rules

import (
	"github.com/authlint/authlint/internal/apachemodel"
	"github.com/authlint/authlint/internal/nginxmodel"
	"github.com/authlint/authlint/parser/ast"
)

// site-wide-auth (catalog R1): the homepage asks for a password, usually
// because auth was put at server or http level. Often deliberate (staging),
// hence a warning.
func init() {
	Register(&Rule{
		ID:       "site-wide-auth",
		Summary:  "the whole site, homepage included, asks for credentials",
		Severity: Warning,
		Servers:  []ast.Kind{ast.KindNginx, ast.KindApache, ast.KindHtaccess},
		Doc:      doc("site-wide-auth"),
		Run:      runSiteWideAuth,
	})
}

func runSiteWideAuth(p *Pass) {
	for _, s := range nginxServers(p) {
		siteWideNginx(p, s)
	}
	if m := apacheModel(p); m != nil {
		guardApache(p, m, func() {
			for _, s := range m.Servers {
				siteWideApache(p, s)
			}
		})
	}
}

func siteWideNginx(p *Pass, s *nginxmodel.Server) {
	if s.IsDefaultCatchAll() {
		return
	}
	home := s.Request("GET", "/")
	first := home[0]
	if first.Return != nil {
		return // a redirect-only server: the rewrite phase ends every request before access
	}
	if first.NeedsAuth() {
		reportSiteWide(p, s, &first, "")
		return
	}
	if first.Open != nil {
		return
	}
	// `location = / { auth_basic off; }` alone: / is served through the
	// index internal redirect, which re-runs access in the location that
	// matches /index.html.
	redirects := append([][]nginxmodel.Step{home[1:]}, s.IndexSteps("GET", "/")...)
	for _, steps := range redirects {
		for i := range steps {
			if st := &steps[i]; st.NeedsAuth() {
				reportSiteWide(p, s, st, "/ is open in "+locationLabel(first.Location)+
					", but nginx serves it through an internal redirect to "+st.URI+
					", and the redirect runs the access check again in "+locationLabel(st.Location))
				return
			}
		}
	}
}

func reportSiteWide(p *Pass, s *nginxmodel.Server, st *nginxmodel.Step, why string) {
	a := st.Auth
	msg := "GET / on " + serverLabel(s) + " asks for credentials: " + directiveText(a.By) + " " +
		levelName(a.Scope, a.By) + " applies to the homepage (" + a.Scope.Chain() + ")"
	if why != "" {
		msg = "GET / on " + serverLabel(s) + " asks for credentials: " + why + ", where " +
			directiveText(a.By) + " " + levelName(a.Scope, a.By) + " applies"
	}
	f := Finding{
		Pos: a.By.Pos, End: a.By.End, Message: msg,
		Hint: "if only part of the site is private, move the auth into that location; to open the homepage add " +
			"`location = / { auth_basic off; }` and `location = /index.html { auth_basic off; }`",
	}
	if a.Uncertain {
		f.Severity = Info
		f.Message += "; the realm is a variable authlint cannot evaluate, so this may be off at run time"
	}
	if st.Location != nil {
		f.Related = append(f.Related, related(st.Location.Node, "GET %s is served by this location", st.URI))
	}
	p.Report(f)
}

// siteWideApache is apacheNeedsUser("/", GET), or the same for the
// DirectoryIndex target: mod_dir serves / through a subrequest to
// /index.html that runs the auth checks again, so `<LocationMatch "^/$">
// Require all granted` alone does not open the homepage (V: 401).
// A vhost-level Redirect or RewriteRule [R] answers before any auth.
func siteWideApache(p *Pass, s *apachemodel.Server) {
	if s.DocRoot == "" && s.IsMain() && s.Config == nil {
		return // a run of .htaccess files whose web root is unknown
	}
	need, d := s.NeedsUser("/", "GET")
	if d.PreAuth != nil || d.Scope.Fatal != nil {
		return
	}
	if need {
		reportSiteWideApache(p, s, d, "")
		return
	}
	if d.SatisfyAny != nil {
		return
	}
	for _, target := range s.IndexTargets("/") {
		if di, rechecked := s.IndexCheck(d.Scope, target); rechecked && di.NeedsUser {
			reportSiteWideApache(p, s, di, "/ itself is open ("+d.Scope.ChainString()+"), but mod_dir serves it through a "+
				"DirectoryIndex subrequest to "+target+", which is checked again")
			return
		}
	}
}

func reportSiteWideApache(p *Pass, s *apachemodel.Server, d *apachemodel.Decision, why string) {
	n := requireReport(d)
	if n == nil {
		return
	}
	msg := "GET / on " + s.Label() + " asks for credentials: " + apacheText(n) + " " + where(d.Set) +
		" applies to the homepage (" + d.Scope.ChainString() + ")"
	if why != "" {
		msg = "GET / on " + s.Label() + " asks for credentials: " + why + ", where " + apacheText(n) + " " +
			where(d.Set) + " applies (" + d.Scope.ChainString() + ")"
	}
	f := Finding{
		Pos: n.Pos, End: n.End, Message: msg,
		Hint: "if only part of the site is private, move the Require into that directory's <Directory> or <Location>; " +
			"to open the homepage add `<LocationMatch \"^/(index\\.html)?$\"> Require all granted </LocationMatch>`; keep " +
			"certificates renewing with `<Location \"/.well-known/acme-challenge/\"> Require all granted </Location>`",
	}
	if d.Set != nil && d.Set.Kind == "htaccess" {
		f.Related = append(f.Related, Related{Pos: ast.Pos{File: d.Set.Htaccess.Path, Line: 1}, Message: "the access file of the web root"})
	}
	p.Report(f)
}
