"""Document numbers (文号): their text (连妇保集〔2012〕5号) both ways, and the SQLite
registry that hands numbers out, records the files made under them and never reissues
a voided one.
"""
