"""Small pieces every stage shares: the course's file conventions, safe CSV cells, the HTML page policy."""
