function on_milestone(m)
  if m.golive_date then
    chg.flag(m, "info", "goes live on " .. m.golive_date)
  end
end
