-- named as chg's hooks are, but not functions
local checks = "check"
on_programme = 42
on_risk = {}
on_project = checks
