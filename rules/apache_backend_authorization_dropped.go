package rules

import (
	"github.com/authlint/authlint/internal/apachemodel"
	"github.com/authlint/authlint/parser/ast"
)

// apache-backend-authorization-dropped (catalog R2b): a back end that must
// authenticate the client itself never sees the Authorization header,
// because RequestHeader removes it before mod_proxy forwards the request,
// or because CGI-style back ends (mod_cgi, mod_proxy_fcgi/php-fpm, scgi,
// uwsgi) get their environment from ap_add_common_vars(), which drops it
// unless CGIPassAuth On or an equivalent passes it.
func init() {
	Register(&Rule{
		ID:       "apache-backend-authorization-dropped",
		Summary:  "the back end never receives the client's Authorization header",
		Severity: Warning,
		Servers:  []ast.Kind{ast.KindApache, ast.KindHtaccess},
		Doc:      doc("apache-backend-authorization-dropped"),
		Run:      runApacheBackendAuthorizationDropped,
	})
}

func runApacheBackendAuthorizationDropped(p *Pass) {
	m := apacheModel(p)
	if m == nil {
		return
	}
	guardApache(p, m, func() {
		for _, s := range m.Servers {
			for _, url := range s.SampleURLs() {
				backendAuthorization(p, s, url)
			}
		}
	})
}

func backendAuthorization(p *Pass, s *apachemodel.Server, url string) {
	sc := s.Merge(url, "GET")
	if sc.Target.PreAuth != nil || sc.Fatal != nil {
		return
	}
	for _, st := range sc.AuthorizationStrips() {
		if st.Noop {
			p.Report(Finding{
				Pos: st.Node.Pos, End: st.Node.End,
				Message: apacheText(st.Node) + " " + where(st.Section) + " is a silent no-op: httpd honors `early` " +
					"only in server or virtual host context, so the header is still forwarded",
				Hint: "drop `early` to strip the header in the fixups phase, or move the directive to the <VirtualHost>",
			})
		}
	}
	b := sc.Backend()
	if b == nil || b.By == nil {
		return
	}
	needsUser, _ := s.NeedsUser(url, "GET")
	switch b.Kind {
	case "proxy":
		if needsUser && !sc.AllowsAuthorizationHeader() {
			return // httpd authenticated the user: stripping is the best practice
		}
		for _, st := range sc.AuthorizationStrips() {
			if st.Noop {
				continue
			}
			p.Report(Finding{
				Pos: st.Node.Pos, End: st.Node.End,
				Message: "the back end of " + url + " on " + s.Label() + " (" + apacheText(b.By) + " at " + at(b.By.Pos) +
					") never receives the client's Authorization header: " + apacheText(st.Node) + " " + where(st.Section) +
					" removes it before mod_proxy forwards the request (" + sc.ChainString() + "), and httpd does not " +
					"authenticate this URL itself",
				Hint:    "delete the RequestHeader line, or authenticate in httpd (Require valid-user) if the back end is not meant to",
				Related: []Related{{Pos: b.By.Pos, Message: "the request is proxied here"}},
			})
			return
		}
	case "cgi":
		if needsUser || sc.AuthorizationPassed() != nil {
			return // REMOTE_USER and AUTH_TYPE reach the app, or the header is passed
		}
		p.Report(Finding{
			Pos: b.By.Pos, End: b.By.End,
			Message: apacheText(b.By) + " serves " + url + " on " + s.Label() + " through a CGI-style back end, which never sees " +
				"the client's Authorization header (ap_add_common_vars drops it; " + sc.ChainString() + "): an app that " +
				"authenticates Basic or Bearer credentials itself always finds them missing",
			Hint: "add `CGIPassAuth On` to the <Directory> or <Location> of the app (httpd 2.4.13+), or " +
				"`SetEnvIf Authorization \"(.+)\" HTTP_AUTHORIZATION=$1`",
		})
	}
}
