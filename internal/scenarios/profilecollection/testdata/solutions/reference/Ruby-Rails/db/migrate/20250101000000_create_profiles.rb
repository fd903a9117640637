class CreateProfiles < ActiveRecord::Migration[7.2]
  def change
    create_table :profiles do |t|
      t.string :username, null: false
      t.text :page, null: false
      t.binary :photo, null: false
      t.timestamps
    end
    add_index :profiles, :username, unique: true
  end
end
