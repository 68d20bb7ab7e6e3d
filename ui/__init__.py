"""The Streamlit app. Pages lay out widgets; what they show is computed in ui.viewmodels and below."""
