package report

import (
	"strings"
	"unicode"
)

// Output may land in a GitHub Actions log, and config text (source lines,
// messages that quote arguments, file names) comes from whoever wrote the
// config, perhaps a pull request. The runner executes a line that starts,
// after blanks, with `::command` and, through the legacy syntax, any line
// containing `##[` (conventions.md §1). So:
//
//   - every field is kept on one line: CR and LF become the visible escapes
//     `\r` and `\n`, other control characters (ESC, for terminal escape
//     sequences) become U+FFFD, tabs stay;
//   - `##[` becomes `#` U+200D `#[`: a zero-width joiner between the two
//     hashes. It looks the same, keeps carets aligned (it has no width) and
//     no longer matches the runner's search for "##[";
//   - a line whose first non-blank characters are `::` gets the same joiner
//     between the colons. Source lines never start a line (they follow the
//     `  12 | ` gutter); only a file name can put `::` first.
//
// JSON output is escaped losslessly instead (see json.go).

const zwj = "\u200d"

// cleanField keeps s on one line and free of control characters.
func cleanField(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || !unicode.IsControl(r) {
			return r
		}
		return unicode.ReplacementChar
	}, strings.NewReplacer("\r", `\r`, "\n", `\n`).Replace(s))
}

// safeLine neutralizes workflow commands in one complete output line.
func safeLine(line string) string {
	line = strings.ReplaceAll(line, "##[", "#"+zwj+"#[")
	trimmed := strings.TrimLeftFunc(line, unicode.IsSpace)
	if strings.HasPrefix(trimmed, "::") {
		lead := line[:len(line)-len(trimmed)]
		line = lead + ":" + zwj + trimmed[1:]
	}
	return line
}
