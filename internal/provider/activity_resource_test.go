package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// activity1x is the pipesolar_activity block 1.x applied
// (testdata/upgrade-1x/main.tf), unchanged.
const activity1x = `
resource "pipesolar_activity" "permit_submitted" {
  project_id   = "D4YR1VSK7K"
  installer_id = "inst-sunville"
  notes        = "Permit application submitted to the City of Sunville."
}
`

// A new activity note is refused at plan time, with the reason and the way
// out; nothing reaches the API.
func TestAccActivity_createRefused(t *testing.T) {
	m := newTestMock(t)
	testAccParallel(t, []resource.TestStep{{
		Config:      pipeProvider(m) + activity1x,
		PlanOnly:    true,
		ExpectError: expectError(`v1 has no call that creates an activity.*pipesolar_lead's notes, or the pipesolar_lead_note action \(Terraform 1.14 and later\).*removed \{.*destroy = false`),
	}})
	if counts := m.Counts(); len(counts) != 0 {
		t.Errorf("a refused activity reached the API: %v", counts)
	}
}

// A note 1.x logged stays in state with no call and no change; changing it
// (a new note) is refused; a removed block retires it, leaving the note.
func TestAccActivity_1xStateKeptThenRemoved(t *testing.T) {
	m := newTestMock(t)
	changed := strings.Replace(activity1x, "submitted to", "filed with", 1)
	removed := `
removed {
  from = pipesolar_activity.permit_submitted

  lifecycle {
    destroy = false
  }
}
`
	dirs := map[string]string{
		"kept":    state1xDir(t, pipeProvider(m)+activity1x, "pipesolar_activity"),
		"changed": state1xDir(t, pipeProvider(m)+changed, "pipesolar_activity"),
		"removed": state1xDir(t, pipeProvider(m)+removed, "pipesolar_activity"),
	}
	dir := func(name string) config.TestStepConfigFunc {
		return func(config.TestStepConfigRequest) string { return dirs[name] }
	}
	testAccDirSteps(t, []resource.TestStep{
		{
			ConfigDirectory: dir("kept"),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		},
		{
			ConfigDirectory: dir("changed"),
			PlanOnly:        true,
			ExpectError:     expectError(`pipesolar_activity cannot create notes`),
		},
		{
			ConfigDirectory: dir("removed"),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				expectForget("pipesolar_activity.permit_submitted"),
			}},
			Check: func(s *terraform.State) error {
				if _, ok := s.RootModule().Resources["pipesolar_activity.permit_submitted"]; ok {
					return fmt.Errorf("the removed activity is still in state")
				}
				return nil
			},
		},
	})
	if counts := m.Counts(); len(counts) != 0 {
		t.Errorf("pipesolar_activity called the API: %v", counts)
	}
}

// The schema says the resource is deprecated, with the way out.
func TestActivity_deprecated(t *testing.T) {
	t.Parallel()
	s := providerSchemas(t, testProtocolServer(t)).ResourceSchemas["pipesolar_activity"]
	if !s.Block.Deprecated {
		t.Error("pipesolar_activity is not marked deprecated")
	}
	if !strings.Contains(activityDeprecation, "destroy = false") || !strings.Contains(activityDeprecation, "pipesolar_lead") {
		t.Errorf("the deprecation message lacks the way out: %s", activityDeprecation)
	}
}

// expectForget is a plan check that addr is forgotten: removed from state
// without being destroyed.
type expectForget string

func (addr expectForget) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address == string(addr) {
			if !rc.Change.Actions.Forget() {
				resp.Error = fmt.Errorf("%s: planned %v, want forget", addr, rc.Change.Actions)
			}
			return
		}
	}
	resp.Error = fmt.Errorf("%s is not in the plan", addr)
}
