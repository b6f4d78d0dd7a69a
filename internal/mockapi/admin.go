package mockapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"
)

// AdminHelp documents the admin routes (no auth, never counted, no faults).
const AdminHelp = `Admin routes (no auth, never counted, never faulted):
  GET  /_mock/counts        request counters {"<endpoint key>": n} (non-zero only)
  POST /_mock/reset-counts  zero the counters
  GET  /_mock/behaviour     the silent choices in effect
  PUT  /_mock/behaviour     replace them; JSON booleans (absent = false):
                              reformat_phone   store phones as "(602) 555-0199"
                              state_as_code    store a state's name as its code
                              lowercase_email  store e-mails in lower case
                              trim_spaces      store text without surrounding spaces
  GET  /_mock/faults        current faults (count, drop, drop_after_commit and
                            after_commit = what is still pending)
  PUT  /_mock/faults        replace them; keys: seed (int), latency ("50ms"; a bare
                            number is milliseconds), rate_500, rate_429, rate_503
                            (fractions 0-1), status (an HTTP status to answer),
                            count (only the next N requests; 0 = all), code (v1
                            error code, e.g. "not_open"), retry_after ("2s"),
                            no_retry_after (bool), drop (close the connection of
                            the next N requests unprocessed), drop_after_commit
                            and after_commit (the next N writes are applied, then
                            the connection is closed / answered
                            after_commit_status, default 500), endpoints (list of
                            endpoint keys, e.g. "PATCH /v1/projects/{id}");
                            {} disables faults
  GET  /_mock/ratelimit     the per-key rate limit in effect
  PUT  /_mock/ratelimit     replace it: {"calls": 100, "window": "1m",
                            "retry_after": "0s"}; {} removes it
  GET  /_mock/state         summary: company, keys (names and roles), stages,
                            projects and leads; UPowr projects, charges, temp
                            files, issued tokens
  POST /_mock/seed          a seed document (below), or {"count": n} for n
                            realistic projects; answers {"leads": [ids], "projects": [ids]}
`

func (s *Server) adminRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /_mock/counts", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.Counts())
	})
	m.HandleFunc("POST /_mock/reset-counts", func(w http.ResponseWriter, r *http.Request) {
		s.ResetCounts()
		writeJSON(w, http.StatusOK, map[string]any{"ok": true})
	})
	m.HandleFunc("GET /_mock/behaviour", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.CurrentPipeBehaviour())
	})
	m.HandleFunc("PUT /_mock/behaviour", s.adminPutBehaviour)
	m.HandleFunc("GET /_mock/faults", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, faultsJSON(s.CurrentFaults()))
	})
	m.HandleFunc("PUT /_mock/faults", s.adminPutFaults)
	m.HandleFunc("GET /_mock/ratelimit", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, rateJSON(s.CurrentRateLimit()))
	})
	m.HandleFunc("PUT /_mock/ratelimit", s.adminPutRateLimit)
	m.HandleFunc("GET /_mock/state", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.stateSummary())
	})
	m.HandleFunc("POST /_mock/seed", s.adminSeed)
	s.stateRoutes(m)
	m.HandleFunc("/_mock/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, map[string]any{"message": "unknown admin route " + r.Method + " " + r.URL.Path + "\n" + AdminHelp})
	})
}

// normKey folds "create_id_style", "CreateIDStyle" and "createIdStyle"
// to one key.
func normKey(k string) string {
	return strings.ToLower(strings.ReplaceAll(strings.ReplaceAll(k, "_", ""), "-", ""))
}

func decodeAdmin(r *http.Request) (map[string]any, error) {
	body, err := decodeObject(r)
	if err != nil {
		if strings.Contains(err.Error(), "empty body") {
			return map[string]any{}, nil
		}
		return nil, err
	}
	out := make(map[string]any, len(body))
	for k, v := range body {
		out[normKey(k)] = v
	}
	return out, nil
}

func adminFail(w http.ResponseWriter, err error) {
	writeJSON(w, http.StatusBadRequest, map[string]any{"ok": false, "message": err.Error()})
}

func (s *Server) adminPutBehaviour(w http.ResponseWriter, r *http.Request) {
	m, err := decodeAdmin(r)
	if err != nil {
		adminFail(w, err)
		return
	}
	var b PipeBehaviour
	flags := map[string]*bool{
		"reformatphone": &b.ReformatPhone, "stateascode": &b.StateAsCode,
		"lowercaseemail": &b.LowercaseEmail, "trimspaces": &b.TrimSpaces,
	}
	for k, v := range m {
		f, known := flags[k]
		bv, isBool := v.(bool)
		if !known || !isBool {
			adminFail(w, fmt.Errorf("behaviour %s: want one of reformat_phone, state_as_code, lowercase_email, trim_spaces with true or false", k))
			return
		}
		*f = bv
	}
	s.SetPipeBehaviour(b)
	writeJSON(w, http.StatusOK, s.CurrentPipeBehaviour())
}

func adminInt(v any) (int, error) {
	r, ok := numberValue(v)
	if !ok || !r.IsInt() || !r.Num().IsInt64() {
		return 0, fmt.Errorf("expected an integer")
	}
	return int(r.Num().Int64()), nil
}

func adminFloat(v any) (float64, error) {
	r, ok := numberValue(v)
	if !ok {
		return 0, fmt.Errorf("expected a number")
	}
	f, _ := r.Float64()
	return f, nil
}

func adminDuration(v any) (time.Duration, error) {
	if str, ok := v.(string); ok {
		return time.ParseDuration(strings.TrimSpace(str))
	}
	r, ok := numberValue(v)
	if !ok {
		return 0, fmt.Errorf("expected a duration string like \"50ms\"")
	}
	f, _ := r.Float64()
	return time.Duration(f * float64(time.Millisecond)), nil
}

func (s *Server) adminPutFaults(w http.ResponseWriter, r *http.Request) {
	m, err := decodeAdmin(r)
	if err != nil {
		adminFail(w, err)
		return
	}
	var f Faults
	for k, v := range m {
		var err error
		switch k {
		case "seed":
			var n int
			n, err = adminInt(v)
			f.Seed = int64(n)
		case "latency":
			f.Latency, err = adminDuration(v)
		case "retryafter":
			f.RetryAfter, err = adminDuration(v)
		case "rate500":
			f.Rate500, err = adminFloat(v)
		case "rate429":
			f.Rate429, err = adminFloat(v)
		case "rate503":
			f.Rate503, err = adminFloat(v)
		case "dropaftercommit":
			f.DropAfterCommit, err = adminInt(v)
		case "aftercommit":
			f.AfterCommit, err = adminInt(v)
		case "aftercommitstatus":
			f.AfterCommitStatus, err = adminInt(v)
		case "status":
			f.Status, err = adminInt(v)
		case "count":
			f.Count, err = adminInt(v)
		case "drop":
			f.Drop, err = adminInt(v)
		case "code":
			var ok bool
			if f.Code, ok = v.(string); !ok {
				err = fmt.Errorf("expected text")
			}
		case "noretryafter":
			var ok bool
			if f.NoRetryAfter, ok = v.(bool); !ok {
				err = fmt.Errorf("expected a boolean")
			}
		case "endpoints":
			var ok bool
			f.Endpoints, ok = stringList(v)
			if !ok {
				err = fmt.Errorf("expected a list of endpoint keys")
			}
			for _, e := range f.Endpoints {
				if !slices.Contains(AllEndpoints, e) {
					err = fmt.Errorf("unknown endpoint %q (one of %s)", e, strings.Join(AllEndpoints, "; "))
				}
			}
		default:
			err = fmt.Errorf("unknown field")
		}
		if err != nil {
			adminFail(w, fmt.Errorf("faults %s: %w", k, err))
			return
		}
	}
	s.SetFaults(f)
	writeJSON(w, http.StatusOK, faultsJSON(s.CurrentFaults()))
}

func faultsJSON(f Faults) map[string]any {
	eps := f.Endpoints
	if eps == nil {
		eps = []string{}
	}
	return map[string]any{
		"seed":                f.Seed,
		"latency":             f.Latency.String(),
		"rate_500":            f.Rate500,
		"rate_429":            f.Rate429,
		"rate_503":            f.Rate503,
		"retry_after":         f.RetryAfter.String(),
		"drop_after_commit":   f.DropAfterCommit,
		"after_commit":        f.AfterCommit,
		"after_commit_status": f.AfterCommitStatus,
		"status":              f.Status,
		"count":               f.Count,
		"code":                f.Code,
		"no_retry_after":      f.NoRetryAfter,
		"drop":                f.Drop,
		"endpoints":           eps,
	}
}

func rateJSON(rl RateLimit) map[string]any {
	return map[string]any{"calls": rl.Calls, "window": rl.Window.String(), "retry_after": rl.RetryAfter.String()}
}

func (s *Server) adminPutRateLimit(w http.ResponseWriter, r *http.Request) {
	m, err := decodeAdmin(r)
	if err != nil {
		adminFail(w, err)
		return
	}
	var rl RateLimit
	for k, v := range m {
		var err error
		switch k {
		case "calls":
			rl.Calls, err = adminInt(v)
		case "window":
			rl.Window, err = adminDuration(v)
		case "retryafter":
			rl.RetryAfter, err = adminDuration(v)
		default:
			err = fmt.Errorf("unknown field (calls, window, retry_after)")
		}
		if err != nil {
			adminFail(w, fmt.Errorf("ratelimit %s: %w", k, err))
			return
		}
	}
	s.SetRateLimit(rl)
	writeJSON(w, http.StatusOK, rateJSON(s.CurrentRateLimit()))
}

// stringList converts a JSON list of strings.
func stringList(v any) ([]string, bool) {
	l, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]string, len(l))
	for i, e := range l {
		if out[i], ok = e.(string); !ok {
			return nil, false
		}
	}
	return out, true
}

func (s *Server) stateSummary() map[string]any {
	s.pipe.mu.RLock()
	keys := make([]any, len(s.pipe.keys))
	for i, k := range s.pipe.keys {
		keys[i] = map[string]any{"name": k.Name, "role": k.Role, "company": k.Company}
	}
	byStage := map[string]int{}
	for _, p := range s.pipe.projects {
		byStage[str(obj(p.doc["stage"])["name"])]++
	}
	pipe := map[string]any{
		"company":           s.pipe.company,
		"keys":              keys,
		"stages":            s.pipe.stages,
		"projects":          len(s.pipe.projects),
		"projects_by_stage": byStage,
		"leads":             len(s.pipe.leads),
	}
	s.pipe.mu.RUnlock()

	s.upowr.mu.RLock()
	byStatus := map[string]int{}
	projects := make([]map[string]any, 0, len(s.upowr.order))
	chargesPer := map[string]int{}
	for _, c := range s.upowr.charges {
		chargesPer[c.ProjectID]++
	}
	for _, id := range s.upowr.order {
		p := s.upowr.projects[id]
		byStatus[p.Status]++
		projects = append(projects, map[string]any{
			"id": p.ID, "type": p.Type, "status": p.Status, "class": p.Class, "xref": p.Xref,
			"contract_accepted": p.ContractAccepted, "accept_count": p.AcceptCount,
			"re_accept_count": p.ReAcceptCount, "preferred_days": p.PreferredDays,
			"files": len(p.Files), "charges": chargesPer[p.ID],
		})
	}
	nTemp := 0
	assoc := make([]string, 0, len(s.upowr.temp))
	for a, l := range s.upowr.temp {
		nTemp += len(l)
		assoc = append(assoc, a)
	}
	sort.Strings(assoc)
	upowr := map[string]any{
		"projects":           len(s.upowr.projects),
		"projects_by_status": byStatus,
		"project_list":       projects,
		"charges":            len(s.upowr.charges),
		"temp_files":         nTemp,
		"file_associations":  assoc,
	}
	s.upowr.mu.RUnlock()
	upowr["issued_tokens"] = s.IssuedTokens()
	return map[string]any{"pipe": pipe, "upowr": upowr}
}

func (s *Server) adminSeed(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<20))
	if err != nil {
		adminFail(w, err)
		return
	}
	var count struct {
		Count *int `json:"count"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if dec.Decode(&count) == nil && count.Count != nil {
		if *count.Count < 0 || *count.Count > 100000 {
			adminFail(w, fmt.Errorf("count: expected an integer 0-100000"))
			return
		}
		writeJSON(w, http.StatusOK, SeedResult{Leads: []string{}, Projects: s.SeedRandomProjects(*count.Count)})
		return
	}
	res, err := s.SeedJSON(bytes.NewReader(body))
	if err != nil {
		adminFail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}
