package apache

import (
	"bytes"
	"unicode/utf8"
)

// bom is the UTF-8 byte order mark. Apache does not skip it: it becomes part
// of the first directive name ("Invalid command '\xef\xbb\xbf...'").
const bom = "\xef\xbb\xbf"

// spot is the line and column (runes, 1-based) of one byte of a logical line.
type spot struct{ line, col int32 }

// logicalLine is one directive or comment after `\` continuations are
// joined, as Apache's ap_cfg_getline builds it, with the source position of
// every byte so that words keep their own line and column.
type logicalLine struct {
	text  []byte
	spots []spot
}

// splitLogical cuts src into logical lines. A line whose last character
// (after a CR of CRLF) is `\` continues: the backslash is dropped and the
// next physical line is appended as is, leading blanks included; a `\`
// followed by blanks does not continue. This also holds for comment lines,
// which is why a commented line ending in `\` swallows the next one.
func splitLogical(src []byte) []logicalLine {
	var out []logicalLine
	var cur logicalLine
	open := false
	line := int32(0)
	for len(src) > 0 || open {
		if len(src) == 0 {
			// The file ended right after a continuation.
			out = append(out, cur)
			break
		}
		line++
		phys := src
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			phys, src = src[:i], src[i+1:]
		} else {
			src = nil
		}
		if n := len(phys); n > 0 && phys[n-1] == '\r' {
			phys = phys[:n-1]
		}
		cont := len(phys) > 0 && phys[len(phys)-1] == '\\'
		if cont {
			phys = phys[:len(phys)-1]
		}
		if !open {
			cur = logicalLine{}
		}
		appendPhysical(&cur, phys, line)
		open = cont
		if !open {
			out = append(out, cur)
		}
	}
	return out
}

// appendPhysical adds one physical line to l, numbering columns by runes
// (an invalid byte counts as one column, as an editor would show it).
func appendPhysical(l *logicalLine, phys []byte, line int32) {
	col := int32(1)
	for i := 0; i < len(phys); {
		_, size := utf8.DecodeRune(phys[i:])
		for k := range size {
			l.text = append(l.text, phys[i+k])
			l.spots = append(l.spots, spot{line, col})
		}
		i += size
		col++
	}
}

// isSpace matches apr_isspace, which Apache uses to split words.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}
