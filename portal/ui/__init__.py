"""The UI shell: navigation, dashboard panels, context processors, home and dashboards."""
