"""The UI shell every app uses: view helpers, navigation, dashboard panels, page slots."""
