"""kampungkb: information system for Indonesia's family-planning programme in Kampung KB villages."""
