echo working
