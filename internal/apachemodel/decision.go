package apachemodel

import (
	"strings"

	"github.com/authlint/authlint/parser/ast"
)

// Decision is the answer to apacheNeedsUser(url, method) with the reasons.
type Decision struct {
	NeedsUser bool
	Scope     *Scope
	// Set is the section whose Require set is in effect (the last one with
	// a Require under AuthMerging Off); nil when no Require applies.
	Set *Section
	// Requires are the Require lines of that set that need a user and
	// apply to the method.
	Requires []*ast.Node
	// PreAuth is the server-level redirect that answers first.
	PreAuth *ast.Node
	// SatisfyAny is the `Satisfy Any` that lets clients in because the
	// host check of mod_access_compat passes.
	SatisfyAny *ast.Node
	// Forbidden: without a user the request is denied outright (403).
	Forbidden bool
	// AuthType, AuthName and AuthUserFile in effect (scalar merge).
	AuthType, AuthName, AuthUserFile Found
}

// Require returns the first Require line responsible, or nil.
func (d *Decision) Require() *ast.Node {
	if d == nil || len(d.Requires) == 0 {
		return nil
	}
	return d.Requires[0]
}

// NeedsUser is the catalog predicate apacheNeedsUser(url, method) on this
// server.
func (s *Server) NeedsUser(url, method string) (bool, *Decision) {
	d := s.Decide(s.Merge(url, method))
	return d.NeedsUser, d
}

// Decide evaluates the authz of a merged scope.
func (s *Server) Decide(sc *Scope) *Decision {
	d := &Decision{
		Scope: sc, PreAuth: sc.Target.PreAuth,
		AuthType: sc.Last("AuthType"), AuthName: sc.Last("AuthName"), AuthUserFile: sc.Last("AuthUserFile"),
	}
	if d.PreAuth != nil || sc.Fatal != nil {
		return d
	}
	var cur *authzNode
	for _, sec := range sc.Chain {
		if sec.Kind == "server" {
			continue // Require is not allowed at server level (AH00526)
		}
		own := authzOf(sec.Body)
		if own == nil {
			continue
		}
		merging := ""
		if m := last(sec.Body, "AuthMerging"); m != nil {
			merging = strings.ToLower(m.Arg(0))
		}
		switch {
		case merging == "and" && cur != nil:
			cur = &authzNode{op: "all", children: []*authzNode{cur, own}}
		case merging == "or" && cur != nil:
			cur = &authzNode{op: "any", children: []*authzNode{cur, own}}
		default:
			cur = own
		}
		d.Set = sec
	}
	if cur == nil {
		return d
	}
	outside := cur.eval(sc.Method, false, false)
	inside := cur.eval(sc.Method, false, true)
	d.NeedsUser = outside == deniedNoUser || inside == deniedNoUser
	d.Forbidden = outside == denied && inside != deniedNoUser
	if d.NeedsUser {
		d.Requires = cur.userRequires(sc.Method)
		if sat := sc.satisfyAny(); sat != nil {
			d.NeedsUser, d.SatisfyAny = false, sat
		}
	}
	return d
}

// satisfyAny returns the `Satisfy Any` in effect when mod_access_compat's
// host check lets an arbitrary client in, else nil.
func (sc *Scope) satisfyAny() *ast.Node {
	sat := sc.Last("Satisfy")
	if sat.Node == nil || !strings.EqualFold(sat.Node.Arg(0), "any") {
		return nil
	}
	// mod_authz_svn is an access checker too: under Satisfy Any it lets
	// anonymous clients in only where its access file says so ("try
	// anonymous access first"), so the host check alone decides nothing.
	for _, name := range []string{"AuthzSVNAccessFile", "AuthzSVNReposRelativeAccessFile", "AuthzSVNProviders"} {
		if sc.Last(name).Node != nil {
			return nil
		}
	}
	// mod_access_compat has no merger: the last section with any of its
	// directives holds the lists in effect.
	var sec *Section
	for _, s := range sc.Chain {
		for _, n := range s.Body {
			if !n.Block && (n.Is("Order") || n.Is("Allow") || n.Is("Deny") || n.Is("Satisfy")) {
				sec = s
			}
		}
	}
	order, allow, deny := "deny,allow", false, false
	for _, n := range sec.Body {
		switch {
		case n.Block:
		case n.Is("Order"):
			order = strings.ToLower(strings.ReplaceAll(strings.Join(n.Values(), ""), " ", ""))
		case n.Is("Allow") && strings.EqualFold(n.Arg(1), "all"):
			allow = true
		case n.Is("Deny") && strings.EqualFold(n.Arg(1), "all"):
			deny = true
		}
	}
	var ok bool
	switch order {
	case "allow,deny", "mutual-failure":
		ok = allow && !deny
	default:
		ok = !deny || allow
	}
	if ok {
		return sat.Node
	}
	return nil
}

// IndexTargets returns the URLs mod_dir's DirectoryIndex subrequest
// checks for a directory URL: the first index file that exists when one
// does, else every name listed (default index.html); nil for anything
// that is not a directory served from disk.
func (s *Server) IndexTargets(url string) []string {
	sc := s.Merge(url, "GET")
	if sc.Target.PreAuth != nil || sc.Target.Proxy != nil || !sc.Target.IsDir {
		return nil
	}
	names := []string{"index.html"}
	if f := sc.Last("DirectoryIndex"); f.Node != nil {
		names = f.Node.Values()
	}
	var all []string
	for _, n := range names {
		if strings.EqualFold(n, "disabled") {
			return nil
		}
		target := n
		if !strings.HasPrefix(n, "/") {
			target = strings.TrimSuffix(url, "/") + "/" + n
		}
		if sc.Target.File != "" && !strings.HasPrefix(n, "/") && s.model.exists(sc.Target.File+"/"+n) {
			return []string{target}
		}
		all = append(all, target)
	}
	return all
}

// IndexCheck follows mod_dir's DirectoryIndex subrequest for target (one
// of IndexTargets) from the main request's scope. The subrequest is a GET
// and runs the auth checks again only when its merged configuration
// differs from the main request's (request.c reuses the main request's
// user otherwise); rechecked says whether it does.
func (s *Server) IndexCheck(main *Scope, target string) (d *Decision, rechecked bool) {
	sub := s.Merge(target, "GET")
	if sameSections(main.Sections(), sub.Sections()) {
		return nil, false
	}
	return s.Decide(sub), true
}

func sameSections(a, b []*Section) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		same := a[i] == b[i] || a[i].Node != nil && a[i].Node == b[i].Node ||
			a[i].Htaccess != nil && a[i].Htaccess == b[i].Htaccess
		if !same {
			return false
		}
	}
	return true
}
