package nginxmodel

import (
	"regexp"
	"slices"
	"strings"

	"github.com/authlint/authlint/parser/ast"
)

// Step is one pass of a request through FIND_CONFIG, REWRITE and ACCESS:
// the first for the request URI, then one per internal redirect (index
// file, try_files fallback), since each re-runs the access phase.
type Step struct {
	URI      string    // the URI, or "@name" for a named location
	Location *Location // nil: server level
	Scope    *Scope
	// Return is the directive that ends the request in this step before
	// the access phase: a rewrite-phase `return` (or redirecting rewrite),
	// or the `internal` of a location the client's own request selected
	// (ngx_http_core_find_config_phase answers it 404).
	Return *ast.Node
	// Rewrite is the `rewrite ... last` that sends the request on to the
	// next step's URI before this step's access phase runs.
	Rewrite *ast.Node
	Auth    Auth
	// Open is the `allow` that lets everyone in under `satisfy any`.
	Open *ast.Node
}

// NeedsAuth reports whether the access phase of this step demands
// credentials.
func (st *Step) NeedsAuth() bool {
	return st.Return == nil && st.Rewrite == nil && st.Open == nil && st.Auth.Required
}

// maxRedirects bounds internal redirects, as nginx's 10-redirect limit.
const maxRedirects = 10

// Request follows a request through the server and returns its steps.
// A server-level `return` ends it in the first step with no location.
func (s *Server) Request(method, uri string) []Step {
	if r := s.rewriteReturn(s.Top, method); r != nil {
		return []Step{{URI: uri, Scope: s.ScopeFor(nil), Return: r}}
	}
	var steps []Step
	seen := map[string]bool{}
	for len(steps) < maxRedirects && !seen[uri] {
		seen[uri] = true
		var loc *Location
		if strings.HasPrefix(uri, "@") {
			// A named location: nginx goes straight to its rewrite phase
			// (ngx_http_named_location), then runs access again.
			if loc = s.Named(uri); loc == nil {
				break
			}
		} else {
			loc = s.Find(uri)
		}
		st := Step{URI: uri, Location: loc, Scope: s.ScopeFor(loc)}
		var own []*ast.Node
		if loc != nil {
			own = loc.Node.Children
			if len(steps) == 0 {
				st.Return = loc.Internal()
			}
			if st.Return == nil {
				st.Return = s.LocationReturn(st.Scope, method)
			}
			if rw, target := s.LocationRewrite(st.Scope, method); rw != nil && st.Return == nil {
				st.Rewrite = rw
				steps = append(steps, st)
				uri = target
				continue
			}
		}
		if st.Return == nil {
			st.Auth = st.Scope.AuthFor(method)
			st.Open = st.Auth.Scope.SatisfyAnyOpen()
		}
		steps = append(steps, st)
		if st.Return != nil {
			break
		}
		next := s.internalRedirects(st.Scope, own, uri)
		if len(next) == 0 {
			break
		}
		uri = next[0]
	}
	return steps
}

// IndexSteps returns, for a URI ending in "/" served as static files, the
// steps of each index file it may redirect to (nginx serves the first that
// exists on disk, which a linter cannot know).
func (s *Server) IndexSteps(method, uri string) [][]Step {
	first := s.Request(method, uri)
	last := first[len(first)-1]
	if last.Return != nil || last.Location != nil && !servesStatic(last.Location.Node.Children) {
		return nil
	}
	var out [][]Step
	for _, target := range s.internalRedirects(last.Scope, ownDirectives(last.Location), last.URI) {
		out = append(out, s.Request(method, target))
	}
	return out
}

func ownDirectives(l *Location) []*ast.Node {
	if l == nil {
		return nil
	}
	return l.Node.Children
}

// internalRedirects lists the URIs a static request is redirected to:
// index files for a directory URI (directly or through try_files $uri/),
// else the try_files fallback.
func (s *Server) internalRedirects(sc *Scope, own []*ast.Node, uri string) []string {
	if !servesStatic(own) {
		return nil
	}
	var tryFiles *ast.Node
	for _, d := range own {
		if d.Is("try_files") {
			tryFiles = d
		}
	}
	if tryFiles == nil && sc.Location == nil {
		tryFiles = sc.Scalar("try_files")
	}
	if strings.HasSuffix(uri, "/") && (tryFiles == nil || hasDirProbe(tryFiles)) {
		return indexTargets(sc, uri)
	}
	if tryFiles != nil && len(tryFiles.Args) > 0 {
		fallback := tryFiles.Args[len(tryFiles.Args)-1].Value
		if strings.HasPrefix(fallback, "@") && !strings.Contains(fallback, "$") {
			return []string{fallback} // a named location, searched by name
		}
		if strings.HasPrefix(fallback, "/") {
			if i := strings.IndexByte(fallback, '?'); i >= 0 {
				fallback = fallback[:i]
			}
			if !strings.Contains(fallback, "$") {
				return []string{fallback}
			}
		}
	}
	return nil
}

func hasDirProbe(tryFiles *ast.Node) bool {
	for _, a := range tryFiles.Args[:max(0, len(tryFiles.Args)-1)] {
		if strings.HasSuffix(a.Value, "/") {
			return true
		}
	}
	return false
}

func indexTargets(sc *Scope, uri string) []string {
	var names []string
	for _, d := range sc.Effective("index") {
		names = append(names, d.Values()...)
	}
	if len(names) == 0 {
		names = []string{"index.html"}
	}
	var out []string
	for _, n := range names {
		if strings.Contains(n, "$") {
			continue
		}
		if strings.HasPrefix(n, "/") {
			out = append(out, n)
		} else {
			out = append(out, uri+n)
		}
	}
	return out
}

// contentHandlers set a location's content handler; a location with none
// of them serves static files (content handlers are not inherited). Not
// here: dav_methods (the DAV module declines GET and HEAD, which the
// static module then serves) and flv/mp4 (their handlers serve any file
// of the location from disk, and decline directory URIs to the index
// module); checked on nginx 1.22: both serve a password file under them.
var contentHandlers = []string{
	"proxy_pass", "fastcgi_pass", "uwsgi_pass", "scgi_pass", "grpc_pass", "memcached_pass",
	"empty_gif", "stub_status", "content_by_lua", "content_by_lua_block", "content_by_lua_file",
	"js_content", "perl",
}

func servesStatic(own []*ast.Node) bool {
	for _, d := range own {
		if slices.ContainsFunc(contentHandlers, d.Is) {
			return false
		}
	}
	return true
}

// rewriteReturn finds the rewrite-module step that ends a request of this
// method among a level's directives, in order: an unconditional `return`
// or redirecting `rewrite` that matches every URI, or one inside an
// `if ($request_method ...)` whose condition holds for the method. Other
// `if` conditions depend on the request and are taken not to hold for
// ordinary traffic. A `break`, or a `rewrite ... last|break` that matches
// every URI, stops the rewrite code: nothing after it runs.
func (s *Server) rewriteReturn(nodes []*ast.Node, method string) *ast.Node {
	r, _ := s.rewriteEnd(nodes, method)
	return r
}

// rewriteEnd is rewriteReturn; stop is the `break` or `rewrite ...
// last|break` that ended the code without a return (so an enclosing
// level's later directives do not run either).
func (s *Server) rewriteEnd(nodes []*ast.Node, method string) (ret, stop *ast.Node) {
	for _, n := range nodes {
		switch {
		case n.Is("return"):
			return n, nil
		case n.Is("break"):
			return nil, n
		case n.Is("rewrite"):
			if IsTerminalRewrite(n) {
				return n, nil
			}
			if stopsRewrite(n) {
				return nil, n
			}
		case n.Is("if") && n.Block:
			if holds, known := methodCondition(n, method); known && holds {
				if r, st := s.rewriteEnd(n.Children, method); r != nil || st != nil {
					return r, st
				}
			}
		}
	}
	return nil, nil
}

// LocationRewrite returns the location-level `rewrite <match-all> /uri
// last` that sends a request of this method to another location before
// the access phase (the URI change makes nginx search the locations again
// and run that location's rewrite and access phases), and the URI it
// sends it to; nil when there is none, or when the target has variables.
func (s *Server) LocationRewrite(sc *Scope, method string) (rw *ast.Node, target string) {
	if sc.Location == nil || sc.methodScope(method).Innermost().Kind == "limit_except" {
		return nil, ""
	}
	ret, stop := s.rewriteEnd(sc.Location.Node.Children, method)
	if ret != nil || stop == nil || !stop.Is("rewrite") || !strings.EqualFold(stop.Arg(2), "last") {
		return nil, ""
	}
	target = stop.Arg(1)
	if i := strings.IndexByte(target, '?'); i >= 0 {
		target = target[:i]
	}
	if !strings.HasPrefix(target, "/") || strings.Contains(target, "$") {
		return nil, ""
	}
	return stop, target
}

// stopsRewrite reports a `rewrite ... last|break` that matches every URI:
// the rest of the level's rewrite code is skipped
// (ngx_http_script_regex_end_code with the break flag).
func stopsRewrite(n *ast.Node) bool {
	flag := strings.ToLower(n.Arg(2))
	if flag != "last" && flag != "break" {
		return false
	}
	re, err := regexp.Compile(n.Arg(0))
	return err == nil && re.MatchString("/") && re.MatchString("/any/path.php")
}

// LocationReturn returns the location-level rewrite-module step that ends
// a request of this method at the scope's location before the access
// phase, or nil. A method that limit_except does not list runs with the
// limit_except block's configuration (ngx_http_update_location_config),
// which holds no rewrite code: the location's return, rewrite and if do
// not run for it (checked on nginx 1.22: `limit_except GET { auth_basic
// ...; } return 200 "x";` answers POST with 401).
func (s *Server) LocationReturn(sc *Scope, method string) *ast.Node {
	if sc.Location == nil || sc.methodScope(method).Innermost().Kind == "limit_except" {
		return nil
	}
	return s.rewriteReturn(sc.Location.Node.Children, method)
}

// IsTerminalRewrite reports a `rewrite` that matches every URI and ends the
// request with a redirect.
func IsTerminalRewrite(n *ast.Node) bool {
	if len(n.Args) < 2 {
		return false
	}
	flag := strings.ToLower(n.Arg(2))
	target := n.Arg(1)
	redirects := flag == "redirect" || flag == "permanent" ||
		strings.HasPrefix(target, "http://") || strings.HasPrefix(target, "https://") || strings.HasPrefix(target, "$scheme://")
	if !redirects {
		return false
	}
	re, err := regexp.Compile(n.Arg(0))
	return err == nil && re.MatchString("/") && re.MatchString("/any/path.php")
}

// IfCondition returns an `if` condition as written, without the
// parentheses: `$request_method = OPTIONS`.
func IfCondition(n *ast.Node) string {
	cond := strings.Join(n.Values(), " ")
	cond = strings.TrimSpace(cond)
	cond = strings.TrimPrefix(cond, "(")
	cond = strings.TrimSuffix(cond, ")")
	return strings.TrimSpace(cond)
}

// methodCondition evaluates `if ($request_method = X)`, `!=`, `~`, `~*`,
// `!~`, `!~*` for a method. known is false for any other condition.
func methodCondition(n *ast.Node, method string) (holds, known bool) {
	var parts []string
	for _, a := range n.Args {
		v := strings.TrimSuffix(strings.TrimPrefix(a.Value, "("), ")")
		if v != "" {
			parts = append(parts, v)
		}
	}
	if len(parts) != 3 || parts[0] != "$request_method" {
		return false, false
	}
	op, want := parts[1], parts[2]
	switch op {
	case "=":
		return method == want, true
	case "!=":
		return method != want, true
	case "~", "~*", "!~", "!~*":
		re, err := CompileRegex(want, strings.Contains(op, "*"))
		if err != nil {
			return false, false
		}
		return re.MatchString(method) != strings.HasPrefix(op, "!"), true
	}
	return false, false
}

// Internal returns the location's own `internal` directive, or nil. An
// external request that selects such a location is answered 404 before
// the rewrite and access phases; internal redirects may enter it.
func (l *Location) Internal() *ast.Node {
	for _, d := range l.Node.Children {
		if d.Is("internal") {
			return d
		}
	}
	return nil
}

// ServesStatic reports whether the location serves files from disk (it has
// no content handler of its own; handlers are not inherited). nil, the
// server level, serves static files.
func (l *Location) ServesStatic() bool {
	return l == nil || servesStatic(l.Node.Children)
}

// DocumentRoot returns the root or alias in effect for a scope and which
// of the two it is; without either, nginx serves from "html" under its
// prefix.
func (sc *Scope) DocumentRoot() (dir string, alias bool, by *ast.Node) {
	for _, lvl := range slices.Backward(sc.Levels) {
		for _, d := range slices.Backward(lvl.Directives) {
			if isAlias := d.Is("alias"); isAlias || d.Is("root") {
				dir = d.Arg(0)
				return dir, isAlias, d
			}
		}
	}
	return "html", false, nil
}

// DeniesAll reports an access list in effect that denies every client:
// `deny all` comes before any `allow`.
func (sc *Scope) DeniesAll() bool {
	// The first matching rule wins: `deny all` reached before any allow
	// denies every client, whatever narrower denies come first.
	for _, d := range sc.Effective("allow") {
		if d.Is("allow") {
			return false
		}
		if d.Arg(0) == "all" {
			return true
		}
	}
	return false
}
