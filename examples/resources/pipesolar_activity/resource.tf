# pipesolar_activity is deprecated: Pipe API v1 cannot log an activity, so
# creating one is refused. Retire activities that provider 1.x logged with a
# removed block; the notes stay in pipe.solar and nothing is called.
removed {
  from = pipesolar_activity.permit_submitted

  lifecycle {
    destroy = false
  }
}
