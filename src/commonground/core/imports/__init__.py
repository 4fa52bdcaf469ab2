"""Imports: files other tools write (an SLCP-style workbook, a Higg-style CSV, an audit sheet, our
own template) read through import profiles into an assessment file. Pure: no Django."""
