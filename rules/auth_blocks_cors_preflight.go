package rules

import (
	"strings"

	"github.com/authlint/authlint/internal/apachemodel"
	"github.com/authlint/authlint/internal/nginxmodel"
	"github.com/authlint/authlint/parser/ast"
)

// auth-blocks-cors-preflight (catalog R3): browsers send the CORS preflight
// OPTIONS request without credentials and need a 2xx answer; auth on
// OPTIONS answers 401 and breaks every non-simple cross-origin request.
func init() {
	Register(&Rule{
		ID:       "auth-blocks-cors-preflight",
		Summary:  "auth applies to CORS preflight OPTIONS requests, which never carry credentials",
		Severity: Warning,
		Servers:  []ast.Kind{ast.KindNginx, ast.KindApache, ast.KindHtaccess},
		Doc:      doc("auth-blocks-cors-preflight"),
		Run:      runAuthBlocksPreflight,
	})
}

func runAuthBlocksPreflight(p *Pass) {
	for _, s := range nginxServers(p) {
		for _, l := range s.AllLocations() {
			for _, uri := range l.SampleURIs() {
				if preflightNginx(p, s, uri) {
					break
				}
			}
		}
	}
	if m := apacheModel(p); m != nil {
		guardApache(p, m, func() {
			for _, s := range m.Servers {
				for _, url := range s.SampleURLs() {
					preflightApache(p, s, url)
				}
			}
		})
	}
}

// preflightNginx follows an OPTIONS request for uri and reports the auth
// directive that answers it with 401 where the location speaks CORS. The
// exemptions (server-level or same-location `if ($request_method =
// OPTIONS) { return 2xx; }`, limit_except, a map realm that is off for
// OPTIONS) are part of the model's request steps.
func preflightNginx(p *Pass, s *nginxmodel.Server, uri string) bool {
	steps := s.Request("OPTIONS", uri)
	for i := range steps {
		st := &steps[i]
		if st.Return != nil && isErrorReturn(st.Return) && st.Scope.CORSEnabled() {
			p.Report(Finding{
				Pos: st.Return.Pos, End: st.Return.End,
				Message: "OPTIONS " + uri + " is answered by " + directiveText(st.Return) +
					": a CORS preflight needs a 2xx status, so browsers block the real request",
				Hint: "answer preflights with `return 204;` and the Access-Control-Allow-* headers (with `always`)",
			})
			return true
		}
		if !st.NeedsAuth() || !st.Scope.CORSEnabled() {
			continue
		}
		a := st.Auth
		f := Finding{
			Pos: a.By.Pos, End: a.By.End,
			Message: "OPTIONS " + uri + " is answered 401 by " + directiveText(a.By) + " " + levelName(a.Scope, a.By) +
				" (" + a.Scope.Chain() + "), which sends CORS headers: preflight requests never carry credentials, so browsers block every non-simple cross-origin request",
			Hint: "exempt preflights before the access phase: `if ($request_method = OPTIONS) { add_header Access-Control-Allow-Origin ... always; return 204; }` in this location, " +
				"or put the auth inside `limit_except OPTIONS { ... }`",
		}
		if a.By.Is("auth_request") {
			// The subrequest is always a GET; whether the auth service lets
			// the preflight through cannot be seen from here.
			f.Severity = Info
			f.Message = "OPTIONS " + uri + " goes through " + directiveText(a.By) + " (" + a.Scope.Chain() +
				") although the location sends CORS headers: unless the auth service answers 2xx for X-Original-Method OPTIONS, preflights fail"
		}
		if st.Location != nil {
			f.Related = append(f.Related, related(st.Location.Node, "OPTIONS %s is served by this location", uri))
		}
		p.Report(f)
		return true
	}
	return false
}

// isErrorReturn reports `return 4xx/5xx`.
func isErrorReturn(n *ast.Node) bool {
	code := n.Arg(0)
	return len(code) == 3 && (code[0] == '4' || code[0] == '5')
}

// preflightApache is corsEnabled and apacheNeedsUser(url, OPTIONS). The
// exemptions (<LimitExcept OPTIONS>, <Limit> without OPTIONS, `Require
// method OPTIONS` in a RequireAny, `<If "%{REQUEST_METHOD} == 'OPTIONS'">
// Require all granted`, a vhost-level RewriteRule [R=204] for OPTIONS) are
// part of the model's decision; the same RewriteRule in <Directory> or
// .htaccess runs in fixups, after auth, and is named in the message.
func preflightApache(p *Pass, s *apachemodel.Server, url string) {
	sc := s.Merge(url, "OPTIONS")
	cors := sc.CORSEnabled()
	if cors == nil {
		return
	}
	d := s.Decide(sc)
	via := ""
	if !d.NeedsUser && d.PreAuth == nil && d.SatisfyAny == nil && sc.Fatal == nil && sc.Backend() == nil {
		// A directory URL: mod_dir's index subrequest is a GET, checked
		// again when its merged sections differ (an <If> on the method).
		for _, target := range s.IndexTargets(url) {
			if di, rechecked := s.IndexCheck(sc, target); rechecked && di.NeedsUser {
				d, via = di, " in mod_dir's DirectoryIndex subrequest, a GET to "+target+","
				break
			}
		}
	}
	n := requireReport(d)
	if !d.NeedsUser || n == nil {
		return
	}
	msg := "OPTIONS " + url + " on " + s.Label() + " is answered 401" + via + " by " + apacheText(n) + " " + where(d.Set) +
		" (" + d.Scope.ChainString() + "), although CORS headers are sent (" + apacheText(cors) + " at " + at(cors.Pos) +
		"): preflight requests never carry credentials, so browsers block every non-simple cross-origin request"
	if late := latePreflightRewrite(sc); late != nil {
		msg += "; the " + apacheText(late) + " at " + at(late.Pos) + " does not help: per-directory rewrites run in fixups, after auth"
	}
	f := Finding{
		Pos: n.Pos, End: n.End, Message: msg,
		Hint: "let preflights through: `<RequireAny> Require method OPTIONS` + `Require valid-user </RequireAny>`, " +
			"or put the Require inside `<LimitExcept OPTIONS>`",
	}
	f.Related = append(f.Related, Related{Pos: cors.Pos, Message: "CORS header sent here"})
	p.Report(f)
}

// latePreflightRewrite finds a RewriteRule [R=...] guarded by a
// REQUEST_METHOD OPTIONS condition in a per-directory section of the
// chain: it never answers a preflight before auth.
func latePreflightRewrite(sc *apachemodel.Scope) *ast.Node {
	for _, sec := range sc.Sections() {
		cond := false
		for _, n := range sec.Body {
			switch {
			case n.Is("RewriteCond") && strings.EqualFold(n.Arg(0), "%{REQUEST_METHOD}") &&
				strings.Contains(strings.ToUpper(n.Arg(1)), "OPTIONS"):
				cond = true
			case n.Is("RewriteRule"):
				if cond && strings.Contains(strings.ToUpper(n.Arg(2)), "R") {
					return n
				}
				cond = false
			}
		}
	}
	return nil
}
