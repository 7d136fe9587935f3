package report

import (
	"bufio"
	"encoding/json"
	"io"
)

func init() { register(JSON, func(w io.Writer, r Report, _ Options) error { return writeJSON(w, r) }) }

// writeJSON streams {"findings": [...], "summary": {...}} one finding at a
// time, byte for byte as json.Encoder with a two-space indent writes it,
// without holding the whole document in memory.
func writeJSON(w io.Writer, r Report) error {
	b := bufio.NewWriterSize(w, 64<<10)
	if len(r.Findings) == 0 {
		b.WriteString("{\n  \"findings\": [],\n")
	} else {
		b.WriteString("{\n  \"findings\": [\n")
		for i, f := range r.Findings {
			data, err := json.MarshalIndent(f, "    ", "  ")
			if err != nil {
				return err
			}
			b.WriteString("    ")
			b.Write(data)
			if i < len(r.Findings)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString("  ],\n")
	}
	data, err := json.MarshalIndent(Summarize(r), "  ", "  ")
	if err != nil {
		return err
	}
	b.WriteString("  \"summary\": ")
	b.Write(data)
	if len(r.Apps) > 0 {
		apps, err := json.MarshalIndent(r.Apps, "  ", "  ")
		if err != nil {
			return err
		}
		b.WriteString(",\n  \"apps\": ")
		b.Write(apps)
	}
	b.WriteString("\n}\n")
	return b.Flush()
}
