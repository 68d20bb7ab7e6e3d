"""Kategoristrategi: placeholder until the drafting API lands."""

import streamlit as st

st.title("Kategoristrategi")
st.info("Kommer snart.")
