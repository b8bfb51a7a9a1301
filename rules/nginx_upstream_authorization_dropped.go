package rules

import (
	"strings"

	"github.com/authlint/authlint/internal/nginxmodel"
	"github.com/authlint/authlint/parser/ast"
)

// nginx-upstream-authorization-dropped (catalog R2a): the back end is meant
// to authenticate the client, but nginx does not pass it the client's
// Authorization header.
func init() {
	Register(&Rule{
		ID:       "nginx-upstream-authorization-dropped",
		Summary:  "nginx does not forward the client's Authorization header to a back end that has to check it",
		Severity: Warning,
		Servers:  []ast.Kind{ast.KindNginx},
		Doc:      doc("nginx-upstream-authorization-dropped"),
		Run:      runUpstreamAuthorizationDropped,
	})
}

// upstreamKind describes how each upstream module carries request headers.
type upstreamKind struct {
	pass       string // the content handler directive
	headerSet  string // the array directive that sets header fields / params
	authField  string // the field name that carries the client's header
	passHeader string // *_pass_request_headers
}

var upstreamKinds = []upstreamKind{
	{"proxy_pass", "proxy_set_header", "authorization", "proxy_pass_request_headers"},
	{"fastcgi_pass", "fastcgi_param", "http_authorization", "fastcgi_pass_request_headers"},
	{"uwsgi_pass", "uwsgi_param", "http_authorization", "uwsgi_pass_request_headers"},
	{"scgi_pass", "scgi_param", "http_authorization", "scgi_pass_request_headers"},
	{"grpc_pass", "grpc_set_header", "authorization", ""},
}

func runUpstreamAuthorizationDropped(p *Pass) {
	for _, s := range nginxServers(p) {
		for _, l := range s.AllLocations() {
			if l.Internal() != nil {
				// Reached only by subrequests and internal redirects, whose
				// headers the config builds on purpose (auth_request and
				// token introspection endpoints).
				continue
			}
			for _, k := range upstreamKinds {
				pass := ownDirective(l, k.pass)
				if pass == nil {
					continue
				}
				sc := s.ScopeFor(l)
				checkDropped(p, sc, l, pass, k)
				checkLostStrip(p, sc, l, k)
			}
		}
	}
}

func ownDirective(l *nginxmodel.Location, name string) *ast.Node {
	for _, d := range l.Node.Children {
		if d.Is(name) {
			return d
		}
	}
	return nil
}

// checkDropped reports the directive that keeps the header from the back
// end, when the back end is expected to authenticate: nginx does not
// authenticate the location itself, or CORS tells browsers to send
// Authorization.
func checkDropped(p *Pass, sc *nginxmodel.Scope, l *nginxmodel.Location, pass *ast.Node, k upstreamKind) {
	nginxAuth := sc.AuthFor("GET").Required
	if nginxAuth && !sc.AllowsAuthorizationHeader() {
		return // nginx checks the credentials; not forwarding them is good practice (X13)
	}
	strip, how := stripOf(sc, k)
	if strip == nil {
		return
	}
	why := "nginx does not authenticate this location itself, so the back end `" + pass.Text() + "` never sees the credentials"
	if nginxAuth {
		why = "Access-Control-Allow-Headers invites browsers to send Authorization for the back end `" + pass.Text() + "`, which never receives it"
	}
	p.Report(Finding{
		Pos: strip.Pos, End: strip.End,
		Message: directiveText(strip) + " " + levelName(sc, strip) + " is in effect for " + sc.Chain() + ": " + how + ", and " + why,
		Hint:    "delete it, or pass the header on explicitly (`" + passThrough(k) + "`) at the level that overrides",
		Related: []Related{related(l.Node, "requests here go to %s", pass.Arg(0))},
	})
}

func passThrough(k upstreamKind) string {
	if k.authField == "authorization" {
		return k.headerSet + " Authorization $http_authorization;"
	}
	return k.headerSet + " HTTP_AUTHORIZATION $http_authorization;"
}

// stripOf returns the directive in effect that drops or replaces the
// client's Authorization header for this upstream kind.
func stripOf(sc *nginxmodel.Scope, k upstreamKind) (strip *ast.Node, how string) {
	fields := sc.Effective(k.headerSet)
	var explicit *ast.Node
	for _, d := range fields {
		if strings.EqualFold(d.Arg(0), k.authField) {
			explicit = d
		}
	}
	passThrough := false
	if explicit != nil {
		switch v := explicit.Arg(1); {
		case strings.EqualFold(v, "$http_authorization"):
			// a pass-through: the header is sent, even when
			// *_pass_request_headers is off
			explicit, passThrough = nil, true
		case v == "":
			return explicit, "an empty value means the header is not sent"
		case strings.HasPrefix(v, "$") && !strings.ContainsAny(v[1:], " \t"):
			return explicit, "the header is replaced by " + v + ", which is empty (and then not sent) when the request lacks it"
		default:
			return explicit, "the client's header is replaced by a fixed value"
		}
	}
	if k.passHeader != "" {
		if d := sc.Scalar(k.passHeader); isOff(d) && explicit == nil && !passThrough {
			return d, "only the fields set with " + k.headerSet + " are sent, and Authorization is not one of them"
		}
	}
	for _, d := range sc.Effective("more_clear_input_headers") {
		for _, v := range d.Values() {
			if strings.EqualFold(v, "authorization") {
				return d, "headers-more removes the header from the request before it is proxied"
			}
		}
	}
	for _, d := range sc.Effective("more_set_input_headers") {
		for _, v := range d.Values() {
			name, value, _ := strings.Cut(v, ":")
			if strings.EqualFold(strings.TrimSpace(name), "authorization") && strings.TrimSpace(value) == "" {
				return d, "headers-more clears the header from the request before it is proxied"
			}
		}
	}
	return nil, ""
}

// checkLostStrip reports the inheritance trap: an outer level strips
// Authorization, but a level below declares its own list of the same
// directive, which replaces the outer list as a whole, so the client's
// credentials are forwarded after all.
func checkLostStrip(p *Pass, sc *nginxmodel.Scope, l *nginxmodel.Location, k upstreamKind) {
	in := sc.Effective(k.headerSet)
	if len(in) == 0 {
		return
	}
	owner := sc.LevelIndex(in[0])
	if owner < 0 {
		return
	}
	for _, lvl := range sc.Levels[:owner] {
		for _, d := range lvl.Directives {
			if d.Is(k.headerSet) && strings.EqualFold(d.Arg(0), k.authField) && d.Arg(1) == "" {
				p.Report(Finding{
					Pos: d.Pos, End: d.End,
					Message: directiveText(d) + " at " + lvl.Kind + " level does not apply to " + sc.Chain() + ": " +
						directiveText(in[0]) + " there starts a new " + k.headerSet + " list, which replaces the inherited one, so the client's Authorization header is forwarded to the back end",
					Hint:    "repeat `" + k.headerSet + " " + headerName(k) + " \"\";` next to the other " + k.headerSet + " lines of that location (or keep them all in one included snippet)",
					Related: []Related{related(in[0], "this %s list replaces the inherited one", k.headerSet), related(l.Node, "location that forwards the header")},
				})
			}
		}
	}
}

func headerName(k upstreamKind) string {
	if k.authField == "authorization" {
		return "Authorization"
	}
	return "HTTP_AUTHORIZATION"
}
