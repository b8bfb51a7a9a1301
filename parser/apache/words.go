package apache

// word is one argument as Apache's ap_getword_conf reads it.
type word struct {
	value        string
	quote        byte // 0, '"' or '\''
	start, last  int  // byte offsets of its first and last character in the line
	unterminated bool // opening quote without a closing one
}

// nextWord reads the word at or after offset i of text[:limit]. ok is false
// when only blanks remain.
//
// Apache's rules: a word that starts with " or ' runs to the next unescaped
// same quote (inside it `\"`, `\'` and `\\` are escapes) and the next word
// starts right after the closing quote even without a blank; any other word
// runs to the next blank, with `\\` read as `\`. A quote inside a word is an
// ordinary character, and so is `#`: Apache has no trailing comments.
func nextWord(text []byte, i, limit int) (w word, next int, ok bool) {
	for i < limit && isSpace(text[i]) {
		i++
	}
	if i >= limit {
		return word{}, limit, false
	}
	w.start = i
	if q := text[i]; q == '"' || q == '\'' {
		w.quote = q
		j := i + 1
		for j < limit && text[j] != q {
			if text[j] == '\\' && j+1 < limit && (text[j+1] == q || text[j+1] == '\\') {
				j += 2
				continue
			}
			j++
		}
		w.value = unescape(text[i+1:min(j, limit)], q)
		if j >= limit {
			w.unterminated = true
			w.last = limit - 1
			return w, limit, true
		}
		w.last = j
		return w, j + 1, true
	}
	j := i
	for j < limit && !isSpace(text[j]) {
		j++
	}
	w.value = unescape(text[i:j], 0)
	w.last = j - 1
	return w, j, true
}

// unescape applies Apache's substring_conf: `\\` becomes `\`, and inside
// quotes a backslash before the quote character is dropped. Every other
// backslash stays (regular expressions keep their `\.`).
func unescape(b []byte, quote byte) string {
	out := make([]byte, 0, len(b))
	for k := 0; k < len(b); k++ {
		if b[k] == '\\' && k+1 < len(b) && (b[k+1] == '\\' || (quote != 0 && b[k+1] == quote)) {
			k++
		}
		out = append(out, b[k])
	}
	return string(out)
}
