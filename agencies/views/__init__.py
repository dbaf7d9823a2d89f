"""Pages of the agencies app, one module per stage (calls, applications, vetting, listing,
running, staff); each module holds the pages of every audience taking part in that stage."""
