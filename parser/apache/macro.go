package apache

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/authlint/authlint/parser/ast"
)

// macro is a mod_macro definition: `<Macro name $a $b>` and its body lines.
type macro struct {
	def    *ast.Node
	params []string
	body   []byte // the raw lines between the tags
	first  int    // line number of the body's first line
}

// defineMacro records a <Macro> section read at this point of the config.
func (ld *load) defineMacro(n *ast.Node) {
	if len(n.Args) == 0 {
		ld.problem(ast.CodeParseError, n, "<Macro> without a name: Apache refuses to start (macro definition: empty name)",
			"name the macro: <Macro Name $param ...>")
		return
	}
	p := ld.l.parse(n.Pos.File, ast.KindApache)
	if p.err != nil || p.src == nil {
		return
	}
	lines := bytes.SplitAfter(p.src, []byte("\n"))
	head := n.Pos.Line // the head may be continued over several lines
	for head <= len(lines) && bytes.HasSuffix(bytes.TrimRight(lines[head-1], "\r\n"), []byte(`\`)) {
		head++
	}
	last := n.End.Line - 1 // the line before </Macro>
	if head >= last || last > len(lines) {
		last = head
	}
	ld.macros[strings.ToLower(n.Arg(0))] = &macro{
		def:    n,
		params: n.Values()[1:],
		body:   bytes.Join(lines[head:last], nil),
		first:  head + 1,
	}
}

// use expands `Use name args...` like mod_macro: each parameter is replaced
// by its argument in the body text, and the text is read at the Use site.
// Positions point into the macro body; a column after a substitution on the
// same line is shifted by the difference in length.
func (ld *load) use(n *ast.Node) []*ast.Node {
	name := strings.ToLower(n.Arg(0))
	m, ok := ld.macros[name]
	switch {
	case !ok:
		ld.problem(ast.CodeParseError, n, fmt.Sprintf("Use: macro '%s' is not defined (before this line); Apache refuses to start", n.Arg(0)),
			"define it with <Macro> before the Use, or fix the name")
		return nil
	case len(n.Args)-1 != len(m.params):
		ld.problem(ast.CodeParseError, n, fmt.Sprintf("Use: macro '%s' (defined at %s) takes %d arguments, not %d; Apache refuses to start",
			n.Arg(0), m.def.Pos, len(m.params), len(n.Args)-1), "")
		return nil
	case slices.Contains(ld.expanding, name):
		if conditional(n) {
			// Recursion stopped by an <IfDefine> or the like, which is
			// not evaluated here: stop expanding without a finding.
			return nil
		}
		ld.cfg.Problems = append(ld.cfg.Problems, ast.Problem{
			Code: ast.CodeIncludeCycle, Pos: n.Pos, End: n.End,
			Message: fmt.Sprintf("macro '%s' uses itself: Apache refuses to start (recursive use of macro)", n.Arg(0)),
			Related: related(n.IncludeChain()),
		})
		return nil
	}
	if !ld.budget(n) {
		return nil
	}
	text := string(m.body)
	// Longer names first, so that $ab is not replaced as $a followed by b.
	order := slices.Clone(m.params)
	idx := map[string]int{}
	for i, p := range m.params {
		idx[p] = i
	}
	slices.SortStableFunc(order, func(a, b string) int { return len(b) - len(a) })
	pairs := make([]string, 0, 2*len(order))
	for _, p := range order {
		pairs = append(pairs, p, n.Args[1+idx[p]].Value)
	}
	text = strings.NewReplacer(pairs...).Replace(text)

	file, probs := Parse(m.def.Pos.File, []byte(text), ast.KindApache)
	shift(file.Nodes, m.first-1)
	for _, p := range probs {
		ld.problem(ast.CodeParseError, n, fmt.Sprintf("in the expansion of macro '%s' (defined at %s): line %d: %s",
			n.Arg(0), m.def.Pos, p.Pos.Line+m.first-1, p.Message), p.Hint)
	}
	ld.expanding = append(ld.expanding, name)
	out := ld.walk(ast.Clone(file.Nodes, n.Parent, n))
	ld.expanding = ld.expanding[:len(ld.expanding)-1]
	return out
}

// conditional reports whether n sits inside an <If...> section.
func conditional(n *ast.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if len(p.Name) > 2 && strings.EqualFold(p.Name[:2], "if") {
			return true
		}
	}
	return false
}

// shift moves the positions of nodes parsed from a macro body to the lines
// of the body in its file.
func shift(nodes []*ast.Node, by int) {
	ast.Walk(nodes, func(n *ast.Node) bool {
		n.Pos.Line += by
		n.End.Line += by
		for i := range n.Args {
			n.Args[i].Pos.Line += by
		}
		return true
	})
}
