# The album store: a changed photo keeps its faces' names, a kill before clustering is made up
# for, a damaged store is refused, corrections (split, rename, merge, names) hold, person_N
# numbers stay, --db in a missing folder is refused.
pr_trust_test(test_store_changed_photo)
pr_trust_test(test_store_kill_before_cluster)
pr_trust_test(test_store_damaged)
pr_trust_test(test_store_split_kept)
pr_trust_test(test_store_names)
pr_trust_test(test_store_stable_numbers)
pr_trust_test(test_store_db_folder)
pr_trust_test(test_store_fresh_numbers)
