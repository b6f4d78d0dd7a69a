package mockapi

import (
	"fmt"
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
  GET  /_mock/behaviour     current pipe.solar behaviour
  PUT  /_mock/behaviour     replace it; JSON keys (snake_case, or the Go field
                            names; case and underscores are ignored; absent = default):
                              create_id_style  id|project_id|data|envelope|none
                              list_shape       top|data|projects|results|response
                              list_id_key      id|_id|project_id
                              list_paging      remaining|none
                              page_size        integer (default 50)
                              ignore_page      bool
                              not_found        404|null|empty|400
                              error_style      flat|bubble|200
  GET  /_mock/faults        current faults (drop_after_commit = drops still pending)
  PUT  /_mock/faults        replace them; keys: seed (int), latency ("50ms"; a bare
                            number is milliseconds), rate_500, rate_429, rate_503
                            (fractions 0-1), retry_after ("2s"), drop_after_commit
                            (int), endpoints (list of endpoint keys, e.g.
                            "POST /api/1.1/wf/create_project"); {} disables faults
  GET  /_mock/state         summary: pipe.solar projects per org/installer,
                            activities, uploads; UPowr projects, charges, temp
                            files, issued tokens
  POST /_mock/seed          {"org_id":"demo-org","installer_id":"","count":10}
                            seeds realistic projects; answers {"ids":[...]}
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
	strs := map[string]*string{
		"createidstyle": &b.CreateIDStyle, "listshape": &b.ListShape, "listidkey": &b.ListIDKey,
		"listpaging": &b.ListPaging, "notfound": &b.NotFound, "errorstyle": &b.ErrorStyle,
	}
	for k, v := range m {
		switch {
		case strs[k] != nil:
			str, ok := textValue(v, true) // "404" or 404
			if !ok {
				adminFail(w, fmt.Errorf("%s: expected a string", k))
				return
			}
			*strs[k] = str
		case k == "pagesize":
			n, err := adminInt(v)
			if err != nil {
				adminFail(w, fmt.Errorf("page_size: %w", err))
				return
			}
			b.PageSize = n
		case k == "ignorepage":
			bv, ok := v.(bool)
			if !ok {
				adminFail(w, fmt.Errorf("ignore_page: expected a boolean"))
				return
			}
			b.IgnorePage = bv
		default:
			adminFail(w, fmt.Errorf("unknown behaviour field %q", k))
			return
		}
	}
	if err := b.Validate(); err != nil {
		adminFail(w, err)
		return
	}
	s.SetPipeBehaviour(b)
	writeJSON(w, http.StatusOK, s.CurrentPipeBehaviour())
}

func adminInt(v any) (int, error) {
	r, _, ok := numberValue(v)
	if !ok || !r.IsInt() || !r.Num().IsInt64() {
		return 0, fmt.Errorf("expected an integer")
	}
	return int(r.Num().Int64()), nil
}

func adminFloat(v any) (float64, error) {
	r, _, ok := numberValue(v)
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
	r, _, ok := numberValue(v)
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
		"seed":              f.Seed,
		"latency":           f.Latency.String(),
		"rate_500":          f.Rate500,
		"rate_429":          f.Rate429,
		"rate_503":          f.Rate503,
		"retry_after":       f.RetryAfter.String(),
		"drop_after_commit": f.DropAfterCommit,
		"endpoints":         eps,
	}
}

func (s *Server) stateSummary() map[string]any {
	s.pipe.mu.RLock()
	byOrg := map[string]int{}
	for org, l := range s.pipe.byOrg {
		byOrg[org] = len(l)
	}
	byInst := map[string]int{}
	for inst, l := range s.pipe.byInst {
		byInst[inst] = len(l)
	}
	pipe := map[string]any{
		"projects":              len(s.pipe.byID),
		"projects_by_org":       byOrg,
		"projects_by_installer": byInst,
		"activities":            s.pipe.nAct,
		"uploads":               s.pipe.nUpl,
		"stages":                s.pipe.stages,
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
	m, err := decodeAdmin(r)
	if err != nil {
		adminFail(w, err)
		return
	}
	org, inst, count := "demo-org", "", 1
	for k, v := range m {
		switch k {
		case "orgid":
			org, _ = textValue(v, true)
		case "installerid":
			inst, _ = textValue(v, true)
		case "count":
			count, err = adminInt(v)
			if err != nil || count < 0 || count > 100000 {
				adminFail(w, fmt.Errorf("count: expected an integer 0-100000"))
				return
			}
		default:
			adminFail(w, fmt.Errorf("unknown seed field %q", k))
			return
		}
	}
	if org == "" {
		adminFail(w, fmt.Errorf("org_id must not be empty"))
		return
	}
	ids, err := s.SeedRandomProjects(org, inst, count)
	if err != nil {
		adminFail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "org_id": org, "installer_id": inst, "ids": ids})
}
