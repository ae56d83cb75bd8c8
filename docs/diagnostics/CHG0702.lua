function on_risk(r)
  local owner = r.parent.sro          -- CONNECT has no sro: nil
  chg.flag(r, "warning", "owned by " .. owner)
end
