"""From checked tables to the joined `Dataset`: every `where` a geometry, every date a month
range, journeys routed and control sliced into months."""
