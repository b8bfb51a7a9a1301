package nginx

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tufanbarisyildirim/gonginx/config"
	gonginx "github.com/tufanbarisyildirim/gonginx/parser"

	"github.com/authlint/authlint/parser/ast"
)

// crossCheck parses text (the source as masked for gonginx) with gonginx
// and compares its tree with ours. Our scanner found no error, so any
// disagreement is a file the two readers see differently: report it at the
// first line where they part, rather than trust either silently.
func crossCheck(path string, text []byte, nodes []*ast.Node, raws map[*ast.Node][]string) []ast.Problem {
	cfg, err := gonginxParse(text)
	if err != nil {
		line := lastLine(text)
		if m := gonginxLine.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
		}
		return []ast.Problem{disagree(path, line, "gonginx cannot read this file: "+err.Error())}
	}
	c := comparer{raws: raws}
	if line, what := c.compare(nodes, cfg.GetDirectives(), 0); line > 0 {
		return []ast.Problem{disagree(path, line, what)}
	}
	return nil
}

var gonginxLine = regexp.MustCompile(`line (\d+)`)

func disagree(path string, line int, what string) ast.Problem {
	at := ast.Pos{File: path, Line: line}
	return ast.Problem{
		Code:    ast.CodeParseError,
		Pos:     at,
		End:     at,
		Message: "the nginx parsers disagree about this file: " + what,
		Hint:    "check the syntax near this line with nginx -t",
	}
}

// gonginxParse runs gonginx and turns its panics into errors.
func gonginxParse(text []byte) (cfg *config.Config, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return gonginx.NewStringParser(string(text), gonginx.WithSkipValidDirectivesErr()).Parse()
}

func lastLine(text []byte) int { return strings.Count(string(text), "\n") + 1 }

// mask is a byte range of the source shown to gonginx as the byte with
// (newlines kept, so lines stay put).
type mask struct {
	start, end int
	with       byte
	all        bool // newlines too
}

// gonginxUnsafe lists what gonginx's lexer reads differently from nginx
// inside a word: backticks (a quote to gonginx), backslashes (it knows only
// \" and \' escapes), braces (it ends words at them) and NUL (its EOF).
// Invalid UTF-8 is masked too, as gonginx reads it as U+FFFD.
const gonginxUnsafe = "`\\{}\x00\r"

// maskWord returns the word as gonginx will be shown it: as written, or,
// when gonginx would split or join it differently, its inside replaced by
// 'x' so that the structure is still cross-checked.
func (p *parser) maskWord(w word) string {
	if !strings.ContainsAny(w.raw, gonginxUnsafe) && utf8.ValidString(w.raw) {
		return w.raw
	}
	start, end := w.off, w.off+len(w.raw)
	if w.arg.Quote != 0 {
		start++
		if strings.HasSuffix(w.raw, string(w.arg.Quote)) && len(w.raw) > 1 {
			end--
		}
	}
	// An unquoted word holds a newline only after a backslash; gonginx
	// would split it there, so the newline is masked too.
	m := mask{start: start, end: end, with: 'x', all: w.arg.Quote == 0}
	p.masks = append(p.masks, m)
	return w.raw[:start-w.off] + m.apply(w.raw[start-w.off:end-w.off]) + w.raw[end-w.off:]
}

// apply masks s, keeping newlines unless all is set.
func (m mask) apply(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c != '\n' || m.all {
			b[i] = m.with
		}
	}
	return string(b)
}

// gonginxText is the source with the masks applied. NUL bytes left over
// (in comments) become spaces: gonginx would stop reading at them. So do
// CRs: gonginx ends a comment at a lone CR, nginx only at LF.
func (p *parser) gonginxText() []byte {
	out := append([]byte(nil), p.lx.src...)
	for _, m := range p.masks {
		copy(out[m.start:m.end], m.apply(string(out[m.start:m.end])))
	}
	for i, c := range out {
		if c == 0 || c == '\r' {
			out[i] = ' '
		}
	}
	return out
}

// comparer walks our tree and gonginx's side by side.
type comparer struct {
	raws map[*ast.Node][]string // our names and arguments as gonginx sees them
}

// compare matches our nodes with gonginx's, block by block. gonginx moves
// servers behind the other directives of http{} and upstream{}, so each of
// our nodes is matched with an unused gonginx node of the same name and
// arguments, in order. It returns the line of the first of our nodes
// without a match (or of the block holding unmatched gonginx nodes).
func (c comparer) compare(ours []*ast.Node, theirs []config.IDirective, blockLine int) (line int, what string) {
	used := make([]bool, len(theirs))
	byName := map[string][]int{} // gonginx nodes by name, in order
	for k, d := range theirs {
		byName[d.GetName()] = append(byName[d.GetName()], k)
	}
	for _, n := range ours {
		j := -1
		candidates := byName[c.name(n)]
		for i, k := range candidates {
			if c.sameArgs(n, theirs[k]) {
				j = k
				// Drop it from the candidates, keeping the order; it is
				// nearly always the first.
				if i == 0 {
					byName[c.name(n)] = candidates[1:]
				} else {
					byName[c.name(n)] = append(candidates[:i:i], candidates[i+1:]...)
				}
				break
			}
		}
		if j < 0 {
			return n.Pos.Line, fmt.Sprintf("gonginx does not see %q here", n.Text())
		}
		used[j] = true
		if isLuaBlock(n.Name) {
			continue
		}
		var kids []config.IDirective
		if b := theirs[j].GetBlock(); b != nil {
			kids = b.GetDirectives()
		}
		if line, what := c.compare(n.Children, kids, n.Pos.Line); line > 0 {
			return line, what
		}
	}
	for k, d := range theirs {
		if !used[k] {
			line := blockLine
			if line == 0 {
				line = d.GetLine()
			}
			return line, fmt.Sprintf("gonginx reads a %q directive that nginx does not", d.GetName())
		}
	}
	return 0, ""
}

// name is the node's name as written (a quoted map key stays quoted in
// gonginx).
func (c comparer) name(n *ast.Node) string {
	if raws := c.raws[n]; len(raws) > 0 {
		return raws[0]
	}
	return n.Name
}

// sameArgs compares arguments where gonginx keeps them as written (plain
// directives, locations, includes); its server and upstream wrappers
// rebuild theirs.
func (c comparer) sameArgs(n *ast.Node, d config.IDirective) bool {
	switch d.(type) {
	case *config.Directive, *config.Location, *config.Include:
	default:
		return true
	}
	ps, raws := d.GetParameters(), c.raws[n]
	if len(raws) > 0 {
		raws = raws[1:]
	}
	if len(ps) != len(raws) {
		return false
	}
	for i, p := range ps {
		if p.GetValue() != raws[i] {
			return false
		}
	}
	return true
}
