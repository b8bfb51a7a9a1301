// Package ast holds the syntax tree shared by the nginx and Apache parsers:
// directives and blocks with exact positions, and the problems found while
// reading them. Nothing here knows about gonginx or about rules.
package ast

import (
	"fmt"
	"strings"
)

// Pos is a position in a source file. Line and Col are 1-based; Col counts
// characters (runes) on the line, not bytes, so carets line up with UTF-8.
type Pos struct {
	File string
	Line int
	Col  int
}

// IsValid reports whether the position points at a real place.
func (p Pos) IsValid() bool { return p.Line > 0 }

// String renders file:line:col.
func (p Pos) String() string {
	if p.Col > 0 {
		return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
	}
	return fmt.Sprintf("%s:%d", p.File, p.Line)
}

// Kind says which server reads a file.
type Kind string

// The kinds of configuration file authlint knows.
const (
	KindNginx    Kind = "nginx"
	KindApache   Kind = "apache"
	KindHtaccess Kind = "htaccess"
)

// Arg is one argument of a directive, with the quoting removed from Value
// and remembered in Quote (0, '"' or '\”).
type Arg struct {
	Value string
	Quote byte
	Pos   Pos
}

// Raw gives the argument as it was written, quotes included.
func (a Arg) Raw() string {
	if a.Quote == 0 {
		return a.Value
	}
	return string(a.Quote) + a.Value + string(a.Quote)
}

// Node is a directive. A block directive (nginx `server { }`, Apache
// `<Directory ...>`) has Block set and its contents in Children.
type Node struct {
	Name string // as written; Apache names compare case-insensitively (see Is)
	Args []Arg
	Pos  Pos // first character of the name (Apache sections: the `<`)
	End  Pos // last character of the terminating `;`, `}` or `>` (inclusive)

	Block    bool
	Children []*Node
	Parent   *Node // enclosing block; nil at the top of a file or loaded tree

	// IncludedFrom is the include directive whose expansion put this node
	// here; nil when the node was written in the entry file itself. The
	// include chain is IncludedFrom, IncludedFrom.IncludedFrom, ...
	IncludedFrom *Node
}

// Is reports whether the node's name is name, case-insensitively (Apache
// directive names are case-insensitive; nginx names are lower case anyway).
func (n *Node) Is(name string) bool { return strings.EqualFold(n.Name, name) }

// Values returns the argument values without quoting.
func (n *Node) Values() []string {
	out := make([]string, len(n.Args))
	for i, a := range n.Args {
		out[i] = a.Value
	}
	return out
}

// Arg returns the i-th argument value, or "" when there is none.
func (n *Node) Arg(i int) string {
	if i < 0 || i >= len(n.Args) {
		return ""
	}
	return n.Args[i].Value
}

// Text renders the directive head as written (name and raw arguments).
func (n *Node) Text() string {
	var b strings.Builder
	b.WriteString(n.Name)
	for _, a := range n.Args {
		b.WriteByte(' ')
		b.WriteString(a.Raw())
	}
	return b.String()
}

// IncludeChain returns the include directives that led to this node,
// innermost first.
func (n *Node) IncludeChain() []*Node {
	var chain []*Node
	for cur := n; cur != nil; {
		if cur.IncludedFrom != nil {
			chain = append(chain, cur.IncludedFrom)
			cur = cur.IncludedFrom
			continue
		}
		cur = cur.Parent
	}
	return chain
}

// Walk calls fn for every node in pre-order; fn returning false skips the
// node's children.
func Walk(nodes []*Node, fn func(*Node) bool) {
	for _, n := range nodes {
		if fn(n) {
			Walk(n.Children, fn)
		}
	}
}

// Comment is a comment line, kept for suppression comments.
type Comment struct {
	Text string // without the leading '#'
	Pos  Pos    // position of the '#'
	// Trailing is true when the comment follows a directive on the same line.
	Trailing bool
}

// File is one parsed source file before includes are spliced.
type File struct {
	Path     string // as given to the parser (used in positions)
	Kind     Kind
	Nodes    []*Node
	Comments []Comment
}

// Problem codes the parsers and loaders report. They are rule ids too.
const (
	CodeParseError      = "parse-error"
	CodeIncludeCycle    = "include-cycle"
	CodeIncludeNotFound = "include-not-found"
)

// Related is a secondary location attached to a problem (e.g. the include
// chain that led to the file).
type Related struct {
	Pos     Pos
	Message string
}

// Problem is something a parser or loader could not read as the server
// would. Code is one of the Code* constants.
type Problem struct {
	Code    string
	Pos     Pos
	End     Pos
	Message string
	Hint    string
	Related []Related
}

// String renders the problem as file:line:col: message, for tests and logs.
func (p Problem) String() string { return p.Pos.String() + ": " + p.Message }

// Clone deep-copies nodes, giving the copies parent (for the top level) and
// includedFrom (for the top level); used to splice one parsed file at
// several include sites without sharing nodes between them.
func Clone(nodes []*Node, parent, includedFrom *Node) []*Node {
	out := make([]*Node, len(nodes))
	for i, n := range nodes {
		c := *n
		c.Args = append([]Arg(nil), n.Args...)
		c.Parent = parent
		if includedFrom != nil {
			c.IncludedFrom = includedFrom
		}
		c.Children = Clone(n.Children, &c, nil)
		out[i] = &c
	}
	return out
}

// Config is one configuration as the server reads it: an entry file with
// every include spliced in at its site.
type Config struct {
	Kind  Kind
	Entry string // path of the entry file (or fragment)
	// Context is the block the top-level nodes live in: for nginx "main"
	// for a full nginx.conf, "http" for a lone server{} snippet, "server"
	// for a lone location{} snippet; for Apache "server" (main config or a
	// lone vhost file) or "htaccess".
	Context string
	// Root is the directory relative paths in the config are taken from:
	// the nginx prefix (directory of nginx.conf), the Apache ServerRoot.
	Root     string
	Nodes    []*Node
	Files    []string // every file read for this config, entry first
	Comments []Comment
	Problems []Problem
}
