class CreateEntries < ActiveRecord::Migration[7.2]
  def change
    create_table :entries do |t|
      t.string :public_id, null: false
      t.string :title, null: false
      t.text :content, null: false
      t.string :created_by, null: false
      t.string :last_modified_by, null: false
      t.timestamps
    end
    add_index :entries, :public_id, unique: true

    create_table :edits do |t|
      t.references :entry, null: false, foreign_key: true
      t.text :old_content, null: false
      t.text :new_content, null: false
      t.string :modified_by, null: false
      t.text :summary, null: false
      t.timestamps
    end
  end
end
