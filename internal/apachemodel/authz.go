package apachemodel

import (
	"slices"
	"strings"

	"github.com/authlint/authlint/parser/ast"
)

// status is an authz result, as mod_authz_core computes it.
type status int

const (
	neutral status = iota
	granted
	denied
	deniedNoUser // 401: a user would be needed
)

// authzNode is one node of a section's Require tree.
type authzNode struct {
	op       string // "any", "all", "none", or "require"
	node     *ast.Node
	methods  map[string]bool // nil: every method; else the methods it applies to
	except   bool            // methods lists the methods it does NOT apply to (<LimitExcept>)
	children []*authzNode
}

// userProviders need an authenticated user.
var userProviders = []string{"valid-user", "user", "group", "dbm-group", "dbd-group", "file-owner", "file-group", "fcgi-authorizer"}

// NeedsUserProvider reports whether a Require line needs a user.
func NeedsUserProvider(n *ast.Node) bool {
	p := strings.ToLower(n.Arg(0))
	if p == "not" {
		return false
	}
	return slices.Contains(userProviders, p) || strings.HasPrefix(p, "ldap-")
}

// authzOf reads the Require tree of a section body; nil when the section
// has no Require (it then inherits).
func authzOf(body []*ast.Node) *authzNode {
	root := &authzNode{op: "any"}
	addAuthz(root, body, nil, false)
	if len(root.children) == 0 {
		return nil
	}
	return root
}

func addAuthz(parent *authzNode, nodes []*ast.Node, methods map[string]bool, except bool) {
	for _, n := range nodes {
		switch {
		case !n.Block && n.Is("Require"):
			parent.children = append(parent.children, &authzNode{op: "require", node: n, methods: methods, except: except})
		case n.Block && (n.Is("RequireAll") || n.Is("RequireAny") || n.Is("RequireNone")):
			c := &authzNode{op: strings.ToLower(strings.TrimPrefix(strings.ToLower(n.Name), "require")), node: n, methods: methods, except: except}
			addAuthz(c, n.Children, nil, false)
			if len(c.children) > 0 {
				parent.children = append(parent.children, c)
			}
		case n.Block && (n.Is("Limit") || n.Is("LimitExcept")):
			ms := map[string]bool{}
			for _, v := range n.Values() {
				ms[strings.ToUpper(v)] = true
			}
			if ms["GET"] {
				ms["HEAD"] = true // GET covers HEAD
			}
			addAuthz(parent, n.Children, ms, n.Is("LimitExcept"))
		case n.Block && isConditional(n):
			addAuthz(parent, flatten([]*ast.Node{n}, nil), methods, except)
		}
	}
}

// appliesTo reports whether a node's method mask covers the method.
func (a *authzNode) appliesTo(method string) bool {
	if a.methods == nil {
		return true
	}
	return a.methods[strings.ToUpper(method)] != a.except
}

// eval computes the result without a user for one kind of client: client
// true means every host/ip/env/expr test passes, false that none does.
func (a *authzNode) eval(method string, parentAnd, client bool) status {
	if !a.appliesTo(method) {
		// apply_authz_sections: a Require limited to other methods.
		if parentAnd {
			return granted
		}
		return neutral
	}
	switch a.op {
	case "require":
		return evalRequire(a.node, method, client)
	case "all":
		res := neutral
		for _, c := range a.children {
			r := c.eval(method, true, client)
			if r == denied {
				return denied
			}
			if r == deniedNoUser && res != denied || res == neutral {
				res = r
			}
		}
		return res
	case "none":
		return negate(anyOf(a.children, method, client))
	}
	return anyOf(a.children, method, client)
}

func anyOf(children []*authzNode, method string, client bool) status {
	res := neutral
	for _, c := range children {
		r := c.eval(method, false, client)
		if r == granted {
			return granted
		}
		if r == deniedNoUser && res == denied || res == neutral {
			res = r
		}
	}
	return res
}

// evalRequire evaluates one Require line without a user.
func evalRequire(n *ast.Node, method string, client bool) status {
	args := n.Values()
	neg := false
	if len(args) > 0 && strings.EqualFold(args[0], "not") {
		neg, args = true, args[1:]
	}
	if len(args) == 0 {
		return neutral
	}
	var r status
	p := strings.ToLower(args[0])
	switch {
	case p == "all" && len(args) > 1 && strings.EqualFold(args[1], "granted"):
		r = granted
	case p == "all":
		r = denied
	case p == "method":
		r = denied
		for _, m := range args[1:] {
			if strings.EqualFold(m, method) {
				r = granted
			}
		}
	case p == "expr":
		switch evalIf(strings.Join(args[1:], " "), method) {
		case yes:
			r = granted
		case no:
			r = denied
		default:
			r = clientStatus(client)
		}
	case slices.Contains(userProviders, p) || strings.HasPrefix(p, "ldap-"):
		r = deniedNoUser
	default: // ip, host, forward-dns, local, env and unknown providers
		r = clientStatus(client)
	}
	if neg {
		return negate(r)
	}
	return r
}

// negate is `Require not` and <RequireNone>: a grant becomes a denial, a
// denial only neutral (negation can never grant), the rest stays.
func negate(r status) status {
	switch r {
	case granted:
		return denied
	case denied:
		return neutral
	default:
		return r
	}
}

func clientStatus(client bool) status {
	if client {
		return granted
	}
	return denied
}

// userRequires lists the Require lines of a tree that need a user and
// apply to the method.
func (a *authzNode) userRequires(method string) []*ast.Node {
	if a == nil || !a.appliesTo(method) {
		return nil
	}
	if a.op == "require" {
		if NeedsUserProvider(a.node) {
			return []*ast.Node{a.node}
		}
		return nil
	}
	var out []*ast.Node
	for _, c := range a.children {
		out = append(out, c.userRequires(method)...)
	}
	return out
}
