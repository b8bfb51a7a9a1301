// Package apache reads Apache httpd 2.4 configuration files and .htaccess
// files into the shared syntax tree: its own small lexer and parser that
// follow httpd's reading rules (ap_cfg_getline, ap_getword_conf,
// ap_build_config), and a loader that splices Include/IncludeOptional per
// include site, substitutes Define'd ${VAR}s and expands mod_macro's Use.
package apache

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/authlint/authlint/parser/ast"
)

// Parse reads one file (kind ast.KindApache or ast.KindHtaccess). It never
// panics; every structural error Apache would report becomes a parse-error
// problem at the line Apache names, and parsing goes on after it.
func Parse(path string, src []byte, kind ast.Kind) (file *ast.File, problems []ast.Problem) {
	p := &parser{file: &ast.File{Path: path, Kind: kind}}
	defer func() {
		if r := recover(); r != nil {
			p.problems = append(p.problems, ast.Problem{
				Code:    ast.CodeParseError,
				Pos:     ast.Pos{File: path, Line: 1, Col: 1},
				Message: fmt.Sprintf("internal error while parsing (please report it): %v", r),
			})
		}
		file, problems = p.file, p.problems
	}()
	p.run(src)
	return p.file, p.problems
}

type parser struct {
	file     *ast.File
	problems []ast.Problem
	stack    []*ast.Node // open sections, innermost last
	lastEnd  ast.Pos     // end of the last thing read, for sections left open
}

func (p *parser) run(src []byte) {
	if bytes.HasPrefix(src, []byte(bom)) {
		src = src[len(bom):]
		at := ast.Pos{File: p.file.Path, Line: 1, Col: 1}
		p.problems = append(p.problems, ast.Problem{
			Code: ast.CodeParseError, Pos: at, End: at,
			Message: "file starts with a UTF-8 byte order mark: Apache does not skip it and fails on the first line " +
				`(Invalid command '\xef\xbb\xbf...')`,
			Hint: "save the file as UTF-8 without BOM",
		})
	}
	for _, l := range splitLogical(src) {
		p.line(l)
	}
	for _, n := range slices.Backward(p.stack) {
		n.End = p.lastEnd
		p.problems = append(p.problems, ast.Problem{
			Code: ast.CodeParseError, Pos: n.Pos, End: n.Pos,
			Message: fmt.Sprintf("<%s> was not closed.", canonical(n.Name)),
			Hint:    fmt.Sprintf("add </%s> in the same file: Apache requires every section to end in the file it starts in", n.Name),
		})
	}
	p.stack = nil
}

func (p *parser) pos(l logicalLine, off int) ast.Pos {
	s := l.spots[off]
	return ast.Pos{File: p.file.Path, Line: int(s.line), Col: int(s.col)}
}

func (p *parser) errorf(l logicalLine, first, last int, hint, format string, args ...any) {
	p.problems = append(p.problems, ast.Problem{
		Code:    ast.CodeParseError,
		Pos:     p.pos(l, first),
		End:     p.pos(l, last),
		Message: fmt.Sprintf(format, args...),
		Hint:    hint,
	})
}

// line handles one logical line: blank, comment, section tag or directive.
func (p *parser) line(l logicalLine) {
	start, end := 0, len(l.text)
	for start < end && isSpace(l.text[start]) {
		start++
	}
	for end > start && isSpace(l.text[end-1]) {
		end--
	}
	if start == end {
		return
	}
	p.lastEnd = p.pos(l, end-1)
	switch {
	case l.text[start] == '#':
		p.file.Comments = append(p.file.Comments, ast.Comment{
			Text: string(l.text[start+1 : end]),
			Pos:  p.pos(l, start),
		})
	case l.text[start] == '<' && p.inMacro() && !isMacroTag(l.text[start:end]):
		// mod_macro keeps a macro's body as raw lines until `Use` expands
		// it, so tags inside it need not balance: keep them as plain nodes
		// named by their first word ("<Directory", "</Directory>").
		p.directive(l, start, end)
	case l.text[start] == '<' && start+1 < end && l.text[start+1] == '/':
		p.closeSection(l, start, end)
	case l.text[start] == '<':
		p.openSection(l, start, end)
	default:
		p.directive(l, start, end)
	}
}

// sectionNames are httpd 2.4's section directives as its modules spell
// them; httpd's messages name an open section that way, however written.
var sectionNames = map[string]string{}

func init() {
	for _, n := range []string{
		"Directory", "DirectoryMatch", "Files", "FilesMatch", "Location", "LocationMatch", "VirtualHost",
		"Limit", "LimitExcept", "If", "ElseIf", "Else", "IfModule", "IfDefine", "IfFile", "IfDirective",
		"IfSection", "IfVersion", "Proxy", "ProxyMatch", "RequireAll", "RequireAny", "RequireNone",
		"AuthnProviderAlias", "AuthzProviderAlias", "Macro", "MDomainSet", "MDomain",
	} {
		sectionNames[strings.ToLower(n)] = n
	}
}

func canonical(name string) string {
	if c, ok := sectionNames[strings.ToLower(name)]; ok {
		return c
	}
	return name
}

func (p *parser) inMacro() bool {
	for _, n := range p.stack {
		if n.Is("Macro") {
			return true
		}
	}
	return false
}

// isMacroTag reports whether a line starts with <Macro or </Macro.
func isMacroTag(line []byte) bool {
	s := strings.TrimPrefix(string(line), "<")
	s = strings.TrimPrefix(s, "/")
	if len(s) < len("macro") || !strings.EqualFold(s[:len("macro")], "macro") {
		return false
	}
	return len(s) == len("macro") || s[len("macro")] == '>' || isSpace(s[len("macro")])
}

func (p *parser) directive(l logicalLine, start, end int) {
	w, next, _ := nextWord(l.text, start, end)
	n := &ast.Node{Name: w.value, Pos: p.pos(l, start), End: p.pos(l, end-1)}
	n.Args = p.words(l, next, end)
	p.add(n)
}

// words reads the arguments in text[from:limit].
func (p *parser) words(l logicalLine, from, limit int) []ast.Arg {
	var args []ast.Arg
	for {
		w, next, ok := nextWord(l.text, from, limit)
		if !ok {
			return args
		}
		// An unterminated quote is not an error: httpd takes the rest of
		// the line as the argument (checked with apache2 -t).
		args = append(args, ast.Arg{Value: w.value, Quote: w.quote, Pos: p.pos(l, w.start)})
		from = next
	}
}

// add appends n to the innermost open section, or to the file.
func (p *parser) add(n *ast.Node) {
	if len(p.stack) == 0 {
		p.file.Nodes = append(p.file.Nodes, n)
		return
	}
	top := p.stack[len(p.stack)-1]
	n.Parent = top
	top.Children = append(top.Children, n)
}

// openSection reads `<Name args>`. Like httpd's section handlers, the
// arguments are the words before the last `>` of the line.
func (p *parser) openSection(l logicalLine, start, end int) {
	j := start + 1
	for j < end && !isSpace(l.text[j]) {
		j++
	}
	name := string(l.text[start+1 : j])
	n := &ast.Node{Name: name, Pos: p.pos(l, start), Block: true}
	switch {
	case strings.HasSuffix(name, ">"):
		n.Name = strings.TrimSuffix(name, ">")
		n.End = p.pos(l, j-1)
	default:
		gt := bytes.LastIndexByte(l.text[j:end], '>')
		if gt < 0 {
			p.errorf(l, start, end-1, "end the line with '>'", "<%s> directive missing closing '>'", canonical(name))
			n.Args = p.words(l, j, end)
			n.End = p.pos(l, end-1)
			break
		}
		n.Args = p.words(l, j, j+gt)
		n.End = p.pos(l, j+gt)
	}
	if n.Name == "" {
		p.errorf(l, start, start, "write the section name right after '<'", "'<' without a section name")
	}
	p.add(n)
	p.stack = append(p.stack, n)
}

// closeSection reads `</Name>` and matches it with the innermost open
// section, reporting what httpd reports when it does not match.
func (p *parser) closeSection(l logicalLine, start, end int) {
	j := start
	for j < end && !isSpace(l.text[j]) {
		j++
	}
	tag := string(l.text[start:j])
	name, closed := strings.CutSuffix(tag[2:], ">")
	if !closed {
		p.errorf(l, start, j-1, "write the end tag as </"+name+">", "</%s> directive missing closing '>'", name)
	}
	endPos := p.pos(l, j-1)
	if len(p.stack) == 0 {
		p.errorf(l, start, j-1, "remove it or add the opening tag",
			"</%s> without matching <%s> section", name, name)
		return
	}
	top := p.stack[len(p.stack)-1]
	if closed && !strings.EqualFold(top.Name, name) {
		p.errorf(l, start, j-1, fmt.Sprintf("<%s> opened at line %d ends with </%s>", top.Name, top.Pos.Line, top.Name),
			"Expected </%s> but saw %s", canonical(top.Name), tag)
	}
	// Recover: close down to the matching open section if there is one,
	// else take the tag as a misspelled end of the innermost section.
	depth := len(p.stack) - 1
	for i, n := range slices.Backward(p.stack) {
		if strings.EqualFold(n.Name, name) {
			depth = i
			break
		}
	}
	for _, n := range p.stack[depth:] {
		n.End = endPos
	}
	p.stack = p.stack[:depth]
}
