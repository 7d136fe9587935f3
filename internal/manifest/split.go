package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// A document as Argo CD cuts a stream into them (k8s.io/apimachinery
// pkg/util/yaml YAMLReader.Read, reached through gitops-engine
// kube.SplitYAML): a line that starts with "---" ends a document, only a
// comment may follow it, and lines are split on "\n" alone. Each piece is
// then decoded by yaml v2, which reads its first document and ignores the
// rest (after a "..." or a "\r---"). A stream that starts with "{" is read
// as a sequence of JSON values instead (GuessJSONStream).
type chunk struct {
	text []byte
	line int // the 1-based line of the stream where the piece starts
}

// splitDocuments cuts data as Argo CD does; an invalid separator line is an
// error naming its line, as Argo CD's is.
func splitDocuments(data []byte) ([]chunk, error) {
	var chunks []chunk
	line := 0
	if trimmed := bytes.TrimLeft(data, " \t\r\n"); len(trimmed) > 0 && trimmed[0] == '{' {
		// JSON values first; at the first that is not JSON, YAML from there
		// on (apimachinery's YAMLOrJSONDecoder falls back the same way).
		var rest int
		chunks, rest = splitJSON(data)
		if rest == len(data) && len(chunks) > 0 {
			return chunks, nil
		}
		line = bytes.Count(data[:rest], []byte("\n"))
		data = data[rest:]
	}
	more, err := splitYAML(data, line)
	return append(chunks, more...), err
}

// splitYAML cuts YAML on separator lines; line is the number of lines
// before data in the stream.
func splitYAML(data []byte, line int) ([]chunk, error) {
	var chunks []chunk
	var buf bytes.Buffer
	start := line + 1
	for rest := data; len(rest) > 0; {
		end := bytes.IndexByte(rest, '\n') + 1
		if end == 0 {
			end = len(rest)
		}
		text := rest[:end]
		rest = rest[end:]
		line++
		if bytes.HasPrefix(text, []byte("---")) {
			after := bytes.TrimSpace(text[3:])
			if len(after) > 0 && after[0] != '#' {
				return nil, &ParseError{Line: line, Msg: fmt.Sprintf("invalid YAML document separator: %s (Argo CD refuses it too)", after)}
			}
			if buf.Len() > 0 {
				chunks = append(chunks, chunk{text: bytes.Clone(buf.Bytes()), line: start})
				buf.Reset()
			}
			start = line + 1
			continue
		}
		if buf.Len() == 0 {
			start = line
		}
		buf.Write(text)
	}
	if buf.Len() > 0 {
		chunks = append(chunks, chunk{text: bytes.Clone(buf.Bytes()), line: start})
	}
	return chunks, nil
}

// splitJSON cuts the JSON values at the start of data; rest is the offset
// where the first value that is not JSON starts (len(data) when all are).
func splitJSON(data []byte) (chunks []chunk, rest int) {
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		before := int(dec.InputOffset())
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if errors.Is(err, io.EOF) {
			return chunks, len(data)
		}
		if err != nil {
			return chunks, before
		}
		// The value starts after any whitespace the decoder skipped.
		offset := before + len(data[before:]) - len(bytes.TrimLeft(data[before:], " \t\r\n"))
		chunks = append(chunks, chunk{text: raw, line: 1 + bytes.Count(data[:offset], []byte("\n"))})
	}
}
