package discover

import (
	"bytes"
	"strings"
)

// sniffLimit bounds how much of a file the sniffer reads: the first 64 KiB
// of a config say plenty about its syntax.
const sniffLimit = 64 << 10

// score counts the evidence for each syntax in a file's content. other
// counts lines that look like neither (shell, YAML, CSS, prose); veto is set
// when the content is clearly something else (a script, PHP, HTML).
type score struct {
	nginx, apache, other int
	// strong counts known directive and block names in the right shape;
	// content alone decides only with strong evidence.
	nginxStrong, apacheStrong int
	veto                      string
}

// shellWords start lines of shell scripts such as Apache's envvars; none of
// them is an nginx or Apache directive name.
var shellWords = set(
	"export", "unset", "fi", "then", "else", "elif", "esac", "done", "do", "case",
	"for", "while", "until", "echo", "function", "local", "readonly", "source", "exec",
	"var", "let", "const", "import", "from", "def", "class", "package", "func",
	"my", "our", "use", "sub", "elsif", "unless",
)

// sniff scores content line by line. It is deliberately shallow: one line
// is one piece of evidence, and the shape of the line (trailing `;`, `{`,
// `<Section>`) matters as much as the directive name.
func sniff(content []byte) score {
	if len(content) > sniffLimit {
		content = content[:sniffLimit]
	}
	var s score
	if bytes.HasPrefix(content, []byte("#!")) {
		s.veto = "starts with #! (a script)"
		return s
	}
	first := true
	for _, line := range logicalLines(content) {
		if line == "" || line[0] == '#' {
			continue
		}
		if v := foreignMarkup(line); v != "" {
			// At the top this is what the file is; further down it can be
			// HTML quoted inside an nginx `return 200 "..."`.
			if first {
				s.veto = v
				return s
			}
			s.other += 3
			continue
		}
		first = false
		s.add(stripTrailingComment(line))
	}
	return s
}

// logicalLines splits content into trimmed lines, joining Apache's
// backslash-continued lines so that one directive is one line.
func logicalLines(content []byte) []string {
	var out []string
	var cur strings.Builder
	for raw := range bytes.SplitSeq(content, []byte("\n")) {
		line := strings.TrimSpace(string(raw))
		if head, ok := strings.CutSuffix(line, "\\"); ok {
			cur.WriteString(head)
			cur.WriteByte(' ')
			continue
		}
		cur.WriteString(line)
		out = append(out, strings.TrimSpace(cur.String()))
		cur.Reset()
	}
	if cur.Len() > 0 {
		out = append(out, strings.TrimSpace(cur.String()))
	}
	return out
}

// foreignMarkup recognizes lines of PHP, HTML, XML (and its comments), JSP
// or PEM.
func foreignMarkup(line string) string {
	lower := strings.ToLower(line)
	for _, p := range []string{"<?php", "<!doctype", "<html", "<?xml", "<%@", "<script", "<!--", "-----begin"} {
		if strings.HasPrefix(lower, p) {
			return "contains " + p + " (not a server config)"
		}
	}
	return ""
}

// add scores one non-comment line.
func (s *score) add(line string) {
	if line == "" {
		return
	}
	word := firstWord(line)
	last := line[len(line)-1]
	switch {
	case line[0] == '<':
		s.addSection(line, word)
	case line[0] == '[' && last == ']':
		s.other++ // an INI section header
	case line == "}":
		s.nginx++
	case line[0] == '}', strings.Contains(word, "("), strings.Contains(word, "::"):
		// `} else {`, `};` (nginx rejects a `;` there), `foo(x);`,
		// `APT::Cache "x";`: program code or another config language.
		s.other++
	case last == '{' || (last == '}' && strings.Contains(line, "{")):
		s.addNginxBlock(line, word)
	case last == ';':
		s.addNginxStatement(line, word)
	case (last == '.' || last == ',') && isLetters(word):
		s.other++ // prose
	default:
		s.addApacheDirective(line, word)
	}
}

// addSection scores `<Name ...>` and `</Name>` lines: Apache sections, or
// markup of some other kind.
func (s *score) addSection(line, word string) {
	name := strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(word, "<"), "/"), ">"))
	if apacheSections[name] && line[len(line)-1] == '>' {
		s.apache += 3
		s.apacheStrong++
		return
	}
	s.other++
}

// addNginxBlock scores a line opening a block.
func (s *score) addNginxBlock(line, word string) {
	switch {
	case word == "if":
		// nginx writes `if ($var ...) {` or `if (!-f $file) {`; C-like code
		// writes `if x {` and `if (x) {` too.
		if isNginxIf(line) {
			s.nginx += 3
			s.nginxStrong++
		} else {
			s.other++
		}
	case nginxBlocks[word]:
		s.nginx += 3
		s.nginxStrong++
	case shellWords[word]:
		s.other++
	case isNginxName(word) && !strings.ContainsAny(line, "()=:"):
		s.nginx++ // a block of a module not in the list
	default:
		s.other++
	}
}

// addNginxStatement scores a line ending in `;`.
func (s *score) addNginxStatement(line, word string) {
	switch {
	case nginxDirectives[word] && plausibleArgs(word, line):
		s.nginx += 2
		s.nginxStrong++
	case shellWords[word]:
		s.other++
	case isNginxName(word) && !strings.ContainsAny(line, "=()"):
		s.nginx++
	}
}

// isNginxIf reports whether an `if (` line tests what nginx can test: a
// variable or a file operator (-f, !-e...).
func isNginxIf(line string) bool {
	cond, ok := strings.CutPrefix(strings.TrimSpace(strings.TrimPrefix(line, "if")), "(")
	if !ok {
		return false
	}
	if strings.ContainsAny(cond, "<>&|") || strings.Contains(cond, "==") {
		return false // nginx has no <, >, ==, && or ||: Perl, C, JS...
	}
	cond = strings.TrimPrefix(strings.TrimSpace(cond), "!")
	return strings.HasPrefix(cond, "$") || strings.HasPrefix(cond, "-")
}

// plausibleArgs guards the directive names that are also statements of
// programming languages: `return 0;`, `set x;`, `alias t=u;` and `root =
// f(x);` are code, `return 301 https://...;`, `set $v 1;` and `alias
// /srv/x/;` are nginx.
func plausibleArgs(word, line string) bool {
	args := strings.Fields(strings.TrimSuffix(line, ";"))
	if len(args) > 1 && strings.HasPrefix(args[1], "=") {
		return false // `root = sqrt(p);` is an assignment
	}
	switch word {
	case "alias":
		return len(args) > 1 && (strings.HasPrefix(args[1], "/") || strings.HasPrefix(args[1], "$"))
	case "return":
		return len(args) > 1 && len(args[1]) == 3 && args[1][0] >= '1' && args[1][0] <= '5'
	case "set":
		return len(args) > 1 && strings.HasPrefix(args[1], "$")
	}
	return true
}

// addApacheDirective scores a line that is neither a section nor ends in
// `;` or a brace: the shape of an Apache directive, or of something else.
func (s *score) addApacheDirective(line, word string) {
	lword := strings.ToLower(word)
	switch {
	case apacheDirectives[lword] && isCapitalised(word):
		s.apache += 2
		s.apacheStrong++
	case apacheDirectives[lword]:
		// Apache accepts `options -indexes`, but lower-case lines are
		// far more often prose that starts with "include" or "header".
		s.apache++
	case isCamelCase(word) && word != line:
		// ProxyHTMLLinks, RequestReadTimeout: the shape of an Apache
		// directive not in the list. Prose starts with one capital only.
		s.apache++
	case shellWords[word], strings.HasSuffix(word, ":"), strings.Contains(word, "="):
		s.other++ // shell and Perl keywords are lower case; Apache's Use is not
	}
}

// firstWord returns the line up to the first blank, `{` or `;`.
func firstWord(line string) string {
	if i := strings.IndexAny(line, " \t{;"); i > 0 {
		return line[:i]
	}
	return line
}

// isNginxName reports whether w has the shape of an nginx directive name:
// lower case letters, digits and underscores.
func isNginxName(w string) bool {
	if w == "" || w[0] >= '0' && w[0] <= '9' {
		return false
	}
	for _, c := range w {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

// isCapitalised reports whether w starts with a capital and has a lower-case
// letter (Require, ServerName; not REQUIRE).
func isCapitalised(w string) bool {
	return w != "" && w[0] >= 'A' && w[0] <= 'Z' && strings.ToUpper(w) != w
}

// isLetters reports whether w is made of ASCII letters only.
func isLetters(w string) bool {
	for _, c := range w {
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return w != ""
}

// isCamelCase reports whether w starts with a capital, has another one and
// a lower-case letter, and is made of letters and digits only.
func isCamelCase(w string) bool {
	if w == "" || w[0] < 'A' || w[0] > 'Z' {
		return false
	}
	caps, smalls := 0, 0
	for _, c := range w {
		switch {
		case c >= 'A' && c <= 'Z':
			caps++
		case c >= 'a' && c <= 'z':
			smalls++
		case c >= '0' && c <= '9':
		default:
			return false
		}
	}
	return caps >= 2 && smalls > 0
}

// stripTrailingComment cuts an nginx-style ` # comment` that follows a
// statement, ignoring `#` inside quotes or glued to a word (URL fragments,
// regexes).
func stripTrailingComment(line string) string {
	var quote byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0 && c == '\\':
			i++
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#' && i > 0 && (line[i-1] == ' ' || line[i-1] == '\t'):
			return strings.TrimSpace(line[:i])
		}
	}
	return line
}
