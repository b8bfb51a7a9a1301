package apache

import (
	"fmt"
	"strings"

	"github.com/authlint/authlint/parser/ast"
)

// dump renders nodes one per line with their positions, for comparing
// trees in tests: `L:C-L:C Name arg@L:C ...`, children indented.
func dump(nodes []*ast.Node) string {
	var b strings.Builder
	var rec func(ns []*ast.Node, depth int)
	rec = func(ns []*ast.Node, depth int) {
		for _, n := range ns {
			fmt.Fprintf(&b, "%s%d:%d-%d:%d %s", strings.Repeat("  ", depth), n.Pos.Line, n.Pos.Col, n.End.Line, n.End.Col, n.Name)
			for _, a := range n.Args {
				fmt.Fprintf(&b, " %s@%d:%d", a.Raw(), a.Pos.Line, a.Pos.Col)
			}
			b.WriteByte('\n')
			rec(n.Children, depth+1)
		}
	}
	rec(nodes, 0)
	return b.String()
}

// problemLines renders problems as `L:C code: message`.
func problemLines(ps []ast.Problem) []string {
	out := make([]string, 0, len(ps))
	for i := range ps {
		p := &ps[i]
		out = append(out, fmt.Sprintf("%d:%d %s: %s", p.Pos.Line, p.Pos.Col, p.Code, p.Message))
	}
	return out
}
