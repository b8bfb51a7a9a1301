// Package nginx reads nginx configuration files into the shared syntax tree
// (parser/ast) and loads a configuration with its includes spliced in.
//
// Parsing runs two readers over the same text: a small scanner that follows
// nginx's own tokenizer (ngx_conf_read_token) and gives exact positions and
// nginx's error messages, and gonginx, the parser of record, whose tree must
// agree with the scanner's. gonginx types never leave this package.
package nginx

import (
	"fmt"
	"strings"

	"github.com/authlint/authlint/parser/ast"
)

// Parse reads one nginx file. The problems are parse errors with nginx's
// wording at the line nginx reports them; the tree is still built as far as
// the text allows, so nothing is dropped without a problem. Parse never
// panics.
func Parse(path string, src []byte) (file *ast.File, problems []ast.Problem) {
	file = &ast.File{Path: path, Kind: ast.KindNginx}
	defer func() {
		if r := recover(); r != nil {
			problems = append(problems, ast.Problem{
				Code:    ast.CodeParseError,
				Pos:     ast.Pos{File: path, Line: 1},
				Message: fmt.Sprintf("internal error while parsing: %v", r),
			})
		}
	}()
	p := &parser{lx: newLexer(path, src), raws: map[*ast.Node][]string{}}
	file.Nodes = p.block(nil, ctxUnknown, false)
	p.checkDeferred(file.Nodes)
	file.Comments = p.lx.comments
	problems = firstProblem(p.lx.problems)
	if len(problems) == 0 {
		problems = crossCheck(path, p.gonginxText(), file.Nodes, p.raws)
	}
	if len(problems) == 0 && hasBOM(src) && len(file.Nodes) > 0 {
		// Positions ignore the mark, but nginx does not skip it: it reads
		// it as part of the first directive's name (checked with nginx -t).
		first := file.Nodes[0]
		problems = append(problems, ast.Problem{
			Code: ast.CodeParseError, Pos: first.Pos, End: first.Pos,
			Message: fmt.Sprintf("unknown directive \"\uFEFF%s\": the file starts with a UTF-8 byte-order mark, which nginx reads as part of the first directive's name", first.Name),
			Hint:    "save the file as UTF-8 without a BOM",
		})
	}
	return file, problems
}

// firstProblem keeps the first structural error: nginx stops there, and
// what follows it is often a consequence of the same mistake.
func firstProblem(ps []ast.Problem) []ast.Problem {
	if len(ps) <= 1 {
		return ps
	}
	first := ps[0]
	for i := range ps[1:] {
		if p := &ps[i+1]; p.Pos.Line < first.Pos.Line || (p.Pos.Line == first.Pos.Line && p.Pos.Col < first.Pos.Col) {
			first = *p
		}
	}
	return []ast.Problem{first}
}

type parser struct {
	lx    *lexer
	depth int // open blocks
	// deferred are `server` directives at the top of a file: a server{}
	// block in http, or a server line of an upstream, which only the rest
	// of the file tells.
	deferred []deferredCheck
	raws     map[*ast.Node][]string // name and arguments as gonginx should see them
	// masks are the byte ranges gonginx is not shown as written: Lua
	// bodies, and words its lexer splits differently from nginx's.
	masks []mask
}

// block reads directives until the `}` closing parent (inBlock) or the end
// of the file, like ngx_conf_parse.
func (p *parser) block(parent *ast.Node, ctx string, inBlock bool) []*ast.Node {
	var nodes []*ast.Node
	for {
		words, how, at := p.lx.next()
		switch how {
		case stopBlockDone:
			if inBlock {
				if parent != nil {
					parent.End = at
				}
				return nodes
			}
			p.lx.errorf(at, `unexpected "}"`)
			continue // recover: read on, so nothing after it is lost
		case stopFileDone:
			if inBlock {
				p.lx.errorf(at, `unexpected end of file, expecting "}"`)
				if parent != nil {
					parent.End = at
				}
			}
			return nodes
		case stopSemicolon, stopBlockStart:
		}
		n := &ast.Node{Name: words[0].arg.Value, Pos: words[0].arg.Pos, End: at, Parent: parent}
		raws := make([]string, 0, len(words))
		for i, w := range words {
			raws = append(raws, p.maskWord(w))
			if i > 0 {
				n.Args = append(n.Args, w.arg)
			}
		}
		p.raws[n] = raws
		nodes = append(nodes, n)
		if how == stopBlockStart && ctx == ctxHandler {
			p.lx.errorf(at, `unexpected "{"`)
		}
		if how == stopBlockStart && isLuaBlock(n.Name) {
			p.luaBlock(n)
			continue
		}
		if ctx == ctxUnknown && n.Name == "server" {
			p.deferred = append(p.deferred, deferredCheck{n, how, at})
		}
		p.check(n, ctx, how, at)
		if how == stopBlockStart {
			n.Block = true
			if p.depth >= maxNesting {
				p.lx.errorf(at, "blocks nested deeper than %d levels", maxNesting)
				n.End = p.skipBlock()
				continue
			}
			p.depth++
			n.Children = p.block(n, childContext(n.Name, ctx), true)
			p.depth--
		}
	}
}

// maxNesting bounds the recursion on hostile input; real configurations
// nest a handful of levels.
const maxNesting = 200

// skipBlock reads past a block too deep to build, returning its end.
func (p *parser) skipBlock() ast.Pos {
	for open := 1; ; {
		_, how, at := p.lx.next()
		switch how {
		case stopBlockStart:
			open++
		case stopBlockDone:
			open--
			if open == 0 {
				return at
			}
		case stopFileDone:
			return at
		case stopSemicolon:
		}
	}
}

type deferredCheck struct {
	n   *ast.Node
	how stop
	at  ast.Pos
}

// checkDeferred checks the top-level `server` directives once the file is
// read: the file is an upstream fragment when its top level holds only
// upstream directives and no block, else server is the http block.
func (p *parser) checkDeferred(top []*ast.Node) {
	ctx := ctxUpstream
	for _, n := range top {
		if _, ok := upstreamSpecs[n.Name]; !ok || n.Block {
			ctx = ctxHTTP
			break
		}
	}
	for _, d := range p.deferred {
		p.check(d.n, ctx, d.how, d.at)
	}
}

// luaBlock reads a *_by_lua_block body; the code becomes the node's only
// argument.
func (p *parser) luaBlock(n *ast.Node) {
	code, start, at, end, ok := p.lx.luaBody()
	p.masks = append(p.masks, mask{start: start, end: start + len(code), with: ' '})
	n.Block = true
	n.Args = append(n.Args, ast.Arg{Value: code, Pos: at})
	n.End = end
	if !ok {
		p.lx.errorf(end, `unexpected end of file, expecting "}"`)
	}
}

// check applies nginx's checks of ngx_conf_handler for known directives:
// block or not, and the argument count. They are reported at the line of
// the terminator, where nginx is when it checks.
func (p *parser) check(n *ast.Node, ctx string, how stop, at ast.Pos) {
	s, known := lookup(n.Name, ctx)
	if !known {
		return
	}
	switch {
	case !s.block && how == stopBlockStart:
		p.lx.errorf(at, `directive "%s" is not terminated by ";"`, n.Name)
	case s.block && how != stopBlockStart:
		p.lx.errorf(at, `directive "%s" has no opening "{"`, n.Name)
	case !s.accepts(len(n.Args)):
		p.lx.errorf(at, `invalid number of arguments in "%s" directive`, n.Name)
	}
}

// IfCondition returns the condition of an `if` block as written, without
// the parentheses: `if ($request_method = OPTIONS)` gives
// `$request_method = OPTIONS`. It returns "" for other nodes.
func IfCondition(n *ast.Node) string {
	if n == nil || n.Name != "if" || len(n.Args) == 0 {
		return ""
	}
	var b strings.Builder
	for i, a := range n.Args {
		// nginx splits `"x")` into "x" and ")": do not add a space back.
		if i > 0 && (a.Quote != 0 || a.Value != ")" || n.Args[i-1].Quote == 0) {
			b.WriteByte(' ')
		}
		b.WriteString(a.Raw())
	}
	s := strings.TrimSpace(b.String())
	s = strings.TrimPrefix(s, "(")
	s = strings.TrimSuffix(s, ")")
	return strings.TrimSpace(s)
}
