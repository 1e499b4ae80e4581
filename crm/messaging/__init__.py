"""Messages the way each person asked: one queue for the whole app, channels (SMTP, GOV.UK Notify
email and text, letters), Easy Read, supporters, send-due.
"""
