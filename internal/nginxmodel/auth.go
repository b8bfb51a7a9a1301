package nginxmodel

import (
	"cmp"
	"slices"
	"strings"

	"github.com/authlint/authlint/parser/ast"
)

// Auth says whether nginx authenticates a request at one scope, and why.
type Auth struct {
	Required bool
	// By is the directive that demands credentials (auth_basic,
	// auth_request, auth_jwt...), or the one that would if it worked.
	By *ast.Node
	// UserFile is the auth_basic_user_file in effect (auth_basic only).
	UserFile *ast.Node
	// Missing is set when auth_basic is on but no user file is in effect:
	// the handler declines and the location is public (catalog X2).
	Missing bool
	// Uncertain is set when the realm is a variable the model cannot
	// evaluate.
	Uncertain bool
	// Scope is the scope the check ran on (it includes a limit_except
	// block when the method is not listed there).
	Scope *Scope
}

// methodScope returns the scope a method runs with: when the chosen
// location has `limit_except` and the method is not in its list, the
// limit_except block applies (GET implies HEAD; unknown methods are never
// listed). limit_except is not inherited: a nested location's own loc_conf
// has no limit_except mask, so a method the outer block restricts is not
// restricted there (checked on nginx 1.22: POST to a nested location of
// `limit_except GET { deny all; }` is not denied).
func (sc *Scope) methodScope(method string) *Scope {
	for _, lvl := range slices.Backward(sc.Levels) {
		if lvl.Kind != "location" {
			continue
		}
		for _, d := range lvl.Directives {
			if d.Is("limit_except") && d.Block {
				if limitAllows(d, method) {
					return sc
				}
				return sc.With("limit_except", d)
			}
		}
		return sc // only the innermost location's own limit_except counts
	}
	return sc
}

func limitAllows(d *ast.Node, method string) bool {
	method = strings.ToUpper(method)
	for _, a := range d.Args {
		m := strings.ToUpper(a.Value)
		if m == method || (m == "GET" && method == "HEAD") {
			return true
		}
	}
	return false
}

// AuthFor evaluates the catalog predicate nginxAuth(loc, method) on a scope.
// It does not look at rewrite-phase returns or satisfy; Request does.
func (sc *Scope) AuthFor(method string) Auth {
	msc := sc.methodScope(method)
	a := Auth{Scope: msc}
	if d := msc.Scalar("auth_basic"); d != nil {
		realm, known := sc.Server.EvalMethod(d.Arg(0), method)
		if realm != "off" {
			a.By = d
			a.Uncertain = !known
			a.UserFile = msc.Scalar("auth_basic_user_file")
			if a.UserFile == nil {
				a.Missing = true
			} else {
				a.Required = true
			}
		}
	}
	for _, name := range []string{"auth_request", "auth_jwt", "auth_oidc", "auth_require"} {
		if d := msc.Scalar(name); d != nil && d.Arg(0) != "off" {
			if !a.Required {
				a.By, a.Missing, a.Uncertain = d, false, false
			}
			a.Required = true
		}
	}
	return a
}

// SatisfyAnyOpen returns the allow directive that lets a whole address
// family the server listens on past the access check under `satisfy any`,
// which skips every auth handler (catalog X3); nil when there is none.
// ngx_http_access_module keeps one rule list per family and the first
// matching rule wins: `allow all` covers every client, `allow 0.0.0.0/0`
// only IPv4 clients (IPv4-mapped IPv6 addresses included), `allow ::/0`
// only IPv6 clients (checked on nginx 1.22: each gives 200 to its own
// family and 401 to the other). A `deny` decides only the clients it
// covers, so `deny 192.0.2.1; allow all;` still opens the location.
func (sc *Scope) SatisfyAnyOpen() *ast.Node {
	n, _ := sc.satisfyAnyOpen()
	return n
}

// SatisfyAnyOpenTo names the clients SatisfyAnyOpen's allow lets in:
// "every client", "every IPv4 client" or "every IPv6 client".
func (sc *Scope) SatisfyAnyOpenTo() string {
	_, who := sc.satisfyAnyOpen()
	return who
}

func (sc *Scope) satisfyAnyOpen() (allow *ast.Node, clients string) {
	s := sc.Scalar("satisfy")
	if s == nil || !strings.EqualFold(s.Arg(0), "any") {
		return nil, ""
	}
	v4, v6 := sc.Server.ListensIPv4(), sc.Server.ListensIPv6()
	var open4, open6 *ast.Node
	closed4, closed6 := !v4, !v6
	for _, d := range sc.Effective("allow") {
		all4, all6 := false, false
		switch d.Arg(0) {
		case "all":
			all4, all6 = true, true
		case "0.0.0.0/0":
			all4 = true
		case "::/0":
			all6 = true
		}
		if all4 && !closed4 {
			closed4 = true
			if d.Is("allow") {
				open4 = d
			}
		}
		if all6 && !closed6 {
			closed6 = true
			if d.Is("allow") {
				open6 = d
			}
		}
	}
	switch {
	case open4 != nil && (open6 != nil || !v6), open6 != nil && !v4:
		return cmp.Or(open4, open6), "every client"
	case open4 != nil:
		return open4, "every IPv4 client"
	case open6 != nil:
		return open6, "every IPv6 client"
	}
	return nil, ""
}
