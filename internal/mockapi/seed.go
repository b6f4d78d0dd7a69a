package mockapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// SeedFileHelp documents the seed file format (pipesolar-mockapi -seed-file).
const SeedFileHelp = `Seed file (-seed-file): JSON, either {"projects": [...]} or a bare array.
Each element is a create_project body (address, first_name, last_name, email,
phone_number, org_id, sales_rep, setter and the optional fields), checked and
normalised as create_project does, plus two optional keys:
  "id"            the project's id (default: a new random id), so that a
                  configuration or a test can refer to a project it knows
  "installer_id"  lists the project under fetch_all_project_installer
Example:
  {"projects": [{"id": "SEEDED0001", "org_id": "org-sunville",
    "address": "1 Solar St, Sunville, CA 90210", "first_name": "Ada",
    "last_name": "Lovelace", "email": "ada@example.com",
    "phone_number": "555-010-0001", "sales_rep": "rep@example.com",
    "setter": "setter@example.com", "system_size": 8.5,
    "project_stage": "Proposal"}]}
`

// SeedProjectsJSON stores the projects of a seed file (see SeedFileHelp)
// and returns their ids in file order. Every project is checked before any
// is stored: on an error, nothing is stored and the error names the
// element.
func (s *Server) SeedProjectsJSON(r io.Reader) ([]string, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // keep the numbers' decimal text, as the HTTP handler does
	var bodies []map[string]any
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '[' {
		err = dec.Decode(&bodies)
	} else {
		var doc struct {
			Projects []map[string]any `json:"projects"`
		}
		dec.DisallowUnknownFields()
		err = dec.Decode(&doc)
		bodies = doc.Projects
	}
	if err != nil {
		return nil, fmt.Errorf("mockapi: seed file: %w", err)
	}

	now := time.Now()
	built := make([]*project, 0, len(bodies))
	seen := map[string]bool{}
	for i, body := range bodies {
		where := fmt.Sprintf("projects[%d]", i)
		if body == nil {
			return nil, fmt.Errorf("mockapi: seed file: %s: not an object", where)
		}
		id := newPipeID()
		if v, ok := body["id"]; ok {
			str, isText := v.(string)
			if !isText || strings.TrimSpace(str) == "" || str != strings.TrimSpace(str) {
				return nil, fmt.Errorf("mockapi: seed file: %s: id must be non-empty text without surrounding spaces", where)
			}
			id = str
			delete(body, "id")
		}
		if seen[id] {
			return nil, fmt.Errorf("mockapi: seed file: %s: duplicate id %q", where, id)
		}
		seen[id] = true
		p, aerr := s.pipe.buildProject(body, id, now)
		if aerr != nil {
			return nil, fmt.Errorf("mockapi: seed file: %s: %s", where, aerr.msg)
		}
		built = append(built, p)
	}

	s.pipe.mu.Lock()
	defer s.pipe.mu.Unlock()
	for i, p := range built {
		if s.pipe.byID[p.id] != nil {
			return nil, fmt.Errorf("mockapi: seed file: projects[%d]: a project with id %q already exists", i, p.id)
		}
	}
	ids := make([]string, len(built))
	for i, p := range built {
		s.pipe.seq++
		p.seq = s.pipe.seq
		s.pipe.byID[p.id] = p
		s.pipe.order = append(s.pipe.order, p)
		s.pipe.byOrg[p.org] = append(s.pipe.byOrg[p.org], p)
		if p.installer != "" {
			s.pipe.byInst[p.installer] = insertBySeq(s.pipe.byInst[p.installer], p)
		}
		ids[i] = p.id
	}
	return ids, nil
}

// SeedProjectsFile stores the projects of the seed file at path (see
// SeedProjectsJSON).
func (s *Server) SeedProjectsFile(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return s.SeedProjectsJSON(f)
}
