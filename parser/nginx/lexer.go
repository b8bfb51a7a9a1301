package nginx

import (
	"fmt"
	"strings"

	"github.com/authlint/authlint/parser/ast"
)

// word is one token as nginx's ngx_conf_read_token produces it.
type word struct {
	arg ast.Arg
	raw string // source text, quotes included (for the gonginx cross-check)
	off int    // byte offset of raw in the (BOM-less) source
}

// stop says how a call to next ended, like the return codes of
// ngx_conf_read_token.
type stop int

const (
	stopSemicolon  stop = iota // NGX_OK: a `;`
	stopBlockStart             // NGX_CONF_BLOCK_START: a `{`
	stopBlockDone              // NGX_CONF_BLOCK_DONE: a `}` with no words before it
	stopFileDone               // NGX_CONF_FILE_DONE
)

// lexer reads nginx configuration text the way ngx_conf_read_token does:
// words separated by space, tab, CR or LF; `;`, `{` and `}` end a
// directive only at the start of a word or right after one; quotes only
// open at the start of a word; `\` hides the next character; `${` stays
// inside a word; `#` starts a comment only at the start of a word.
type lexer struct {
	file string
	src  []byte
	i    int
	line int
	col  int

	comments []ast.Comment
	lastLine int // line of the last word or terminator, for Trailing comments

	// pendingClose makes the next call return stopBlockDone: it recovers
	// from `unexpected "}"` after words, so the block still closes.
	pendingClose bool
	closePos     ast.Pos

	problems []ast.Problem

	// bufEnd emulates nginx's 4096-byte read buffer: a token (or comment)
	// that fills it is "too long parameter".
	bufEnd int
}

// confBuffer is NGX_CONF_BUFFER.
const confBuffer = 4096

// refill does what ngx_conf_read_token does when its buffer runs out: the
// current token moves to the buffer start and the rest is filled from the
// file; a token that already fills the whole buffer is an error, reported
// at the line the token started on.
func (l *lexer) refill(start int, startPos ast.Pos, sQuoted, dQuoted bool) {
	if l.i-start == confBuffer {
		switch {
		case dQuoted:
			l.errorf(startPos, `too long parameter, probably missing terminating """ character`)
		case sQuoted:
			l.errorf(startPos, `too long parameter, probably missing terminating "'" character`)
		default:
			l.errorf(startPos, `too long parameter "%s..." started`, l.src[start:start+10])
		}
		start = l.i // recover: go on as if the buffer had room
	}
	l.bufEnd = min(start+confBuffer, len(l.src))
}

func newLexer(file string, src []byte) *lexer {
	src = stripBOM(src)
	return &lexer{file: file, src: src, line: 1, col: 1}
}

// stripBOM drops a UTF-8 byte order mark: editors on Windows write one, and
// positions must be the same as without it.
func stripBOM(src []byte) []byte {
	if hasBOM(src) {
		return src[3:]
	}
	return src
}

func hasBOM(src []byte) bool {
	return len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF
}

func (l *lexer) pos() ast.Pos { return ast.Pos{File: l.file, Line: l.line, Col: l.col} }

// advance consumes one byte and keeps line and column (in runes) current.
func (l *lexer) advance() byte {
	ch := l.src[l.i]
	l.i++
	switch {
	case ch == '\n':
		l.line++
		l.col = 1
	case ch&0xC0 != 0x80: // not a UTF-8 continuation byte
		l.col++
	}
	return ch
}

func (l *lexer) errorf(at ast.Pos, format string, args ...any) {
	l.problems = append(l.problems, ast.Problem{
		Code:    ast.CodeParseError,
		Pos:     at,
		End:     at,
		Message: fmt.Sprintf(format, args...),
		Hint:    "nginx -t rejects this file; fix the syntax at this line",
	})
}

func isSpace(ch byte) bool { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' }

// next reads the words of one directive head and what ended it. at is the
// position of the terminator (`;`, `{`, `}`) or of the end of the file.
// Errors are recorded with nginx's wording at the line nginx reports, and
// the lexer recovers so that the rest of the file is still read.
func (l *lexer) next() (words []word, how stop, at ast.Pos) {
	if l.pendingClose {
		l.pendingClose = false
		return nil, stopBlockDone, l.closePos
	}
	var (
		needSpace, lastSpace         = false, true
		quoted, sQuoted, dQuoted     bool
		variable, sharp              bool
		start                        = l.i
		startPos                     = l.pos()
		sharpPos                     ast.Pos
		sharpStart, wordLineAtSharps int
	)
	for {
		if l.i >= l.bufEnd && l.i < len(l.src) {
			l.refill(start, startPos, sQuoted, dQuoted)
		}
		if l.i >= len(l.src) {
			if sharp {
				l.addComment(sharpStart, len(l.src), sharpPos, wordLineAtSharps)
			}
			if len(words) > 0 || !lastSpace {
				l.errorf(l.pos(), `unexpected end of file, expecting ";" or "}"`)
				if !lastSpace {
					words = append(words, l.makeWord(start, len(l.src), startPos, sQuoted || dQuoted))
				}
				return words, stopSemicolon, l.pos()
			}
			return words, stopFileDone, l.pos()
		}
		chPos := l.pos()
		ch := l.advance()

		if sharp {
			if ch != '\n' {
				continue
			}
			// The newline ends the comment and is then read as a space.
			sharp = false
			l.addComment(sharpStart, l.i-1, sharpPos, wordLineAtSharps)
		}
		if quoted {
			quoted = false
			continue
		}
		if needSpace {
			switch {
			case isSpace(ch):
				lastSpace, needSpace = true, false
				continue
			case ch == ';':
				l.lastLine = chPos.Line
				return words, stopSemicolon, chPos
			case ch == '{':
				l.lastLine = chPos.Line
				return words, stopBlockStart, chPos
			case ch == ')':
				lastSpace, needSpace = true, false
			default:
				l.errorf(chPos, `unexpected "%c"`, ch)
				// Recover as if a space separated the words.
				lastSpace, needSpace = true, false
			}
		}

		if lastSpace {
			start, startPos = l.i-1, chPos
			if isSpace(ch) {
				continue
			}
			switch ch {
			case ';', '{':
				l.lastLine = chPos.Line
				if len(words) == 0 {
					l.errorf(chPos, `unexpected "%c"`, ch)
					continue // recover: ignore it
				}
				if ch == '{' {
					return words, stopBlockStart, chPos
				}
				return words, stopSemicolon, chPos
			case '}':
				l.lastLine = chPos.Line
				if len(words) != 0 {
					l.errorf(chPos, `unexpected "}"`)
					l.pendingClose, l.closePos = true, chPos
					return words, stopSemicolon, chPos
				}
				return nil, stopBlockDone, chPos
			case '#':
				sharp, sharpStart, sharpPos = true, l.i, chPos
				wordLineAtSharps = l.lastLine
				if len(words) > 0 {
					wordLineAtSharps = words[len(words)-1].arg.Pos.Line
				}
				continue
			case '\\':
				quoted, lastSpace = true, false
				continue
			case '"':
				start++
				dQuoted, lastSpace = true, false
				continue
			case '\'':
				start++
				sQuoted, lastSpace = true, false
				continue
			case '$':
				variable, lastSpace = true, false
				continue
			default:
				lastSpace = false
			}
			continue
		}

		if ch == '{' && variable {
			continue
		}
		variable = false
		if ch == '\\' {
			quoted = true
			continue
		}
		if ch == '$' {
			variable = true
			continue
		}
		found := false
		switch {
		case dQuoted:
			if ch == '"' {
				dQuoted, needSpace, found = false, true, true
			}
		case sQuoted:
			if ch == '\'' {
				sQuoted, needSpace, found = false, true, true
			}
		case isSpace(ch) || ch == ';' || ch == '{':
			lastSpace, found = true, true
		}
		if !found {
			continue
		}
		words = append(words, l.makeWord(start, l.i-1, startPos, needSpace))
		l.lastLine = chPos.Line
		switch ch {
		case ';':
			return words, stopSemicolon, chPos
		case '{':
			return words, stopBlockStart, chPos
		}
	}
}

// makeWord builds the word src[start:end] (quotes excluded) the way nginx
// copies it: `\"`, `\'` and `\\` lose the backslash, `\t`, `\r`, `\n` become
// the control characters, any other backslash stays.
func (l *lexer) makeWord(start, end int, at ast.Pos, wasQuoted bool) word {
	text := string(l.src[start:end])
	w := word{arg: ast.Arg{Pos: at}, raw: text, off: start}
	if wasQuoted {
		w.off = start - 1
		w.arg.Quote = l.src[start-1]
		closing := ""
		if end < len(l.src) && l.src[end] == w.arg.Quote {
			closing = string(w.arg.Quote)
		}
		w.raw = string(w.arg.Quote) + text + closing
	}
	if !strings.Contains(text, `\`) {
		w.arg.Value = text
		return w
	}
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		if text[i] == '\\' && i+1 < len(text) {
			switch text[i+1] {
			case '"', '\'', '\\':
				i++
			case 't':
				b.WriteByte('\t')
				i++
				continue
			case 'r':
				b.WriteByte('\r')
				i++
				continue
			case 'n':
				b.WriteByte('\n')
				i++
				continue
			}
		}
		b.WriteByte(text[i])
	}
	w.arg.Value = b.String()
	return w
}

// addComment records the comment src[start:end] (after the '#'). It trails
// a directive when a word or terminator was on the same line before it.
func (l *lexer) addComment(start, end int, at ast.Pos, prevLine int) {
	text := strings.TrimSuffix(string(l.src[start:end]), "\r")
	l.comments = append(l.comments, ast.Comment{Text: text, Pos: at, Trailing: prevLine == at.Line})
}
