package nginx

import "github.com/authlint/authlint/parser/ast"

// luaBody reads the body of a *_by_lua_block after its `{` the way
// OpenResty's Lua-aware lexer does: braces count only outside Lua strings
// ('...', "...", [[...]], [==[...]==]) and comments (-- and --[[...]]).
// It returns the code, the position of its first character and of the
// closing `}`; ok is false when the file ends first.
func (l *lexer) luaBody() (code string, start int, at, end ast.Pos, ok bool) {
	at = l.pos()
	start = l.i
	depth := 0
	for l.i < len(l.src) {
		chPos := l.pos()
		ch := l.advance()
		switch ch {
		case '{':
			depth++
		case '}':
			if depth == 0 {
				l.lastLine = chPos.Line
				return string(l.src[start : l.i-1]), start, at, chPos, true
			}
			depth--
		case '"', '\'':
			l.skipLuaString(ch)
		case '[':
			if level, isLong := l.longBracket(); isLong {
				l.skipLongBracket(level)
			}
		case '-':
			if l.i < len(l.src) && l.src[l.i] == '-' {
				l.advance()
				if l.i < len(l.src) && l.src[l.i] == '[' {
					l.advance()
					if level, isLong := l.longBracket(); isLong {
						l.skipLongBracket(level)
						continue
					}
				}
				for l.i < len(l.src) && l.src[l.i] != '\n' {
					l.advance()
				}
			}
		}
	}
	return string(l.src[start:]), start, at, l.pos(), false
}

// skipLuaString skips a short string up to its closing quote, honoring
// backslash escapes; a newline ends an unterminated string as in Lua.
func (l *lexer) skipLuaString(quote byte) {
	for l.i < len(l.src) {
		ch := l.advance()
		switch ch {
		case '\\':
			if l.i < len(l.src) {
				l.advance()
			}
		case quote, '\n':
			return
		}
	}
}

// longBracket checks, just after a '[', for the rest of a long bracket
// opening ("[" or "=...=[") and consumes it, returning its level.
func (l *lexer) longBracket() (level int, ok bool) {
	j := l.i
	for j < len(l.src) && l.src[j] == '=' {
		j++
	}
	if j >= len(l.src) || l.src[j] != '[' {
		return 0, false
	}
	level = j - l.i
	for l.i <= j {
		l.advance()
	}
	return level, true
}

// skipLongBracket skips to the closing "]", level '=' and "]".
func (l *lexer) skipLongBracket(level int) {
	for l.i < len(l.src) {
		if l.advance() != ']' {
			continue
		}
		j := l.i
		for j < len(l.src) && l.src[j] == '=' {
			j++
		}
		if j-l.i == level && j < len(l.src) && l.src[j] == ']' {
			for l.i <= j {
				l.advance()
			}
			return
		}
	}
}
