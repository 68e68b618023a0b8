"""The keying screen: rows (what a row shows, no Qt), history, model, view, writer, page."""
