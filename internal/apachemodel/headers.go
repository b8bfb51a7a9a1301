package apachemodel

import (
	"path"
	"strings"

	"github.com/authlint/authlint/parser/ast"
)

// headerArgs splits `Header [always|onsuccess] action name [value] ...`.
func headerArgs(n *ast.Node) (action, name string, rest []string) {
	args := n.Values()
	if len(args) > 0 && (strings.EqualFold(args[0], "always") || strings.EqualFold(args[0], "onsuccess")) {
		args = args[1:]
	}
	if len(args) < 2 {
		return "", "", nil
	}
	return strings.ToLower(args[0]), args[1], args[2:]
}

// CORSEnabled is the catalog predicate corsEnabled for Apache: a
// `Header [always] set|add|merge|append|setifempty Access-Control-Allow-*`
// or a `SetEnvIf[NoCase] Origin ...` is in effect for the request.
func (sc *Scope) CORSEnabled() *ast.Node {
	for _, f := range sc.All("Header") {
		action, name, _ := headerArgs(f.Node)
		switch action {
		case "set", "add", "merge", "append", "setifempty":
			if strings.HasPrefix(strings.ToLower(name), "access-control-allow-") {
				return f.Node
			}
		}
	}
	for _, name := range []string{"SetEnvIf", "SetEnvIfNoCase"} {
		for _, f := range sc.All(name) {
			if strings.EqualFold(f.Node.Arg(0), "Origin") {
				return f.Node
			}
		}
	}
	return nil
}

// AllowsAuthorizationHeader reports an Access-Control-Allow-Headers that
// lists Authorization: the browser is told to send it.
func (sc *Scope) AllowsAuthorizationHeader() bool {
	for _, f := range sc.All("Header") {
		_, name, rest := headerArgs(f.Node)
		if strings.EqualFold(name, "Access-Control-Allow-Headers") &&
			strings.Contains(strings.ToLower(strings.Join(rest, " ")), "authorization") {
			return true
		}
	}
	return false
}

// Strip is a RequestHeader that removes or replaces the client's
// Authorization header.
type Strip struct {
	Node    *ast.Node
	Section *Section
	// Noop: `early` inside a per-directory section, which httpd ignores.
	Noop bool
}

// AuthorizationStrips returns the RequestHeader unset/set Authorization
// directives in effect, in merge order, with the `early` ones that are
// silent no-ops flagged.
func (sc *Scope) AuthorizationStrips() []Strip {
	var out []Strip
	for _, f := range sc.All("RequestHeader") {
		action, name, rest := headerArgs(f.Node)
		if !strings.EqualFold(name, "Authorization") {
			continue
		}
		switch action {
		case "unset", "set", "edit", "edit*":
		default:
			continue
		}
		if action == "set" && len(rest) > 0 && strings.Contains(strings.ToLower(rest[0]), "%{http:authorization}") {
			continue // a pass-through
		}
		early := false
		for _, r := range rest {
			if strings.EqualFold(r, "early") {
				early = true
			}
		}
		out = append(out, Strip{Node: f.Node, Section: f.Section, Noop: early && f.Section.Kind != "server"})
	}
	return out
}

// Backend is what serves a request beyond httpd's own file handler.
type Backend struct {
	// Kind is "proxy" (mod_proxy_http/ajp/http2: headers forwarded) or
	// "cgi" (CGI, FastCGI, SCGI, uwsgi: env built by ap_add_common_vars,
	// which drops Authorization).
	Kind string
	By   *ast.Node
}

// Backend returns the back end serving the request, or nil for static
// files.
func (sc *Scope) Backend() *Backend {
	if p := sc.Target.Proxy; p != nil {
		return &Backend{Kind: schemeKind(sc.Target.ProxyTo), By: p}
	}
	if r := sc.dirProxy(); r != nil {
		return &Backend{Kind: schemeKind(r.Arg(1)), By: r}
	}
	if h := sc.Last("SetHandler"); h.Node != nil {
		v := strings.ToLower(h.Node.Arg(0))
		switch {
		case v == "cgi-script":
			return &Backend{Kind: "cgi", By: h.Node}
		case strings.HasPrefix(v, "proxy:"):
			return &Backend{Kind: schemeKind(strings.TrimPrefix(v, "proxy:")), By: h.Node}
		}
	}
	if sc.Target.CGI {
		return &Backend{Kind: "cgi", By: sc.Target.Alias}
	}
	if sc.Target.File != "" {
		ext := path.Ext(sc.Target.File)
		for _, f := range sc.All("AddHandler") {
			if !strings.EqualFold(f.Node.Arg(0), "cgi-script") {
				continue
			}
			for _, e := range f.Node.Values()[1:] {
				if ext != "" && strings.EqualFold("."+strings.TrimPrefix(e, "."), ext) {
					return &Backend{Kind: "cgi", By: f.Node}
				}
			}
		}
	}
	return nil
}

// schemeKind classifies a proxy target URL.
func schemeKind(u string) string {
	u = strings.ToLower(u)
	if i := strings.LastIndexByte(u, '|'); i >= 0 {
		u = u[i+1:] // proxy:unix:/run/php.sock|fcgi://localhost
	}
	for _, s := range []string{"fcgi://", "scgi://", "uwsgi://"} {
		if strings.HasPrefix(u, s) {
			return "cgi"
		}
	}
	return "proxy"
}

// AuthorizationPassed returns the directive that hands Authorization to
// a CGI-style back end (CGIPassAuth On, SetEnvIf ... HTTP_AUTHORIZATION,
// RewriteRule [E=HTTP_AUTHORIZATION:%{HTTP:Authorization}]), or nil.
func (sc *Scope) AuthorizationPassed() *ast.Node {
	if c := sc.Last("CGIPassAuth"); c.Node != nil && strings.EqualFold(c.Node.Arg(0), "on") {
		return c.Node
	}
	for _, name := range []string{"SetEnvIf", "SetEnvIfNoCase"} {
		for _, f := range sc.All(name) {
			if !strings.EqualFold(f.Node.Arg(0), "Authorization") {
				continue
			}
			for _, v := range f.Node.Values()[1:] {
				if strings.HasPrefix(strings.ToUpper(v), "HTTP_AUTHORIZATION=") {
					return f.Node
				}
			}
		}
	}
	if sc.Target.PassAuth != nil {
		return sc.Target.PassAuth
	}
	for _, sec := range sc.Chain {
		if sec.Kind == "server" {
			continue
		}
		for _, r := range rewriteRules(sec.Body) {
			if r.passesAuth() {
				return r.node
			}
		}
	}
	return nil
}

// AuthorizationReachesBackend reports whether the client's Authorization
// header reaches the back end serving the request; the directive that
// stops or passes it is returned with the answer. Static files: true.
func (sc *Scope) AuthorizationReachesBackend() (bool, *ast.Node) {
	b := sc.Backend()
	if b == nil {
		return true, nil
	}
	if b.Kind == "proxy" {
		for _, s := range sc.AuthorizationStrips() {
			if !s.Noop {
				return false, s.Node
			}
		}
		return true, nil
	}
	if p := sc.AuthorizationPassed(); p != nil {
		return true, p
	}
	return false, b.By
}

// dirProxy finds a per-directory RewriteRule [P] (in <Directory> or
// .htaccess) that matches the request's path relative to that directory.
func (sc *Scope) dirProxy() *ast.Node {
	file := sc.Target.File
	if file == "" {
		return nil
	}
	for _, sec := range sc.Chain {
		dir := sec.Dir
		if sec.Kind == "Directory" {
			dir = sec.Path
		}
		if dir == "" || (sec.Kind != "Directory" && sec.Kind != "htaccess") {
			continue
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(file, dir), "/")
		for _, r := range rewriteRules(sec.Body) {
			if hasFlag(r.flags, "p") && r.matches(rel, sc.Method, sc.Server.sslServer()) == yes {
				return r.node
			}
		}
	}
	return nil
}
