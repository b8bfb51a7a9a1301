package nginxmodel

import (
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

// SatisfyAnyOpen returns the allow directive that lets every client in
// under `satisfy any` (allow all, 0.0.0.0/0, ::/0 before any deny), which
// skips every auth handler (catalog X3); nil when there is none.
func (sc *Scope) SatisfyAnyOpen() *ast.Node {
	s := sc.Scalar("satisfy")
	if s == nil || !strings.EqualFold(s.Arg(0), "any") {
		return nil
	}
	for _, d := range sc.Effective("allow") {
		if d.Is("deny") {
			return nil
		}
		switch d.Arg(0) {
		case "all", "0.0.0.0/0", "::/0":
			return d
		}
	}
	return nil
}
