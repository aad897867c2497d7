print("dbpki")
